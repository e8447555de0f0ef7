package org.diffusionlab.app;

import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;
import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.stage.Window;

/** The main window: menu bar, one tab per view, and a status bar. */
public final class MainWindow extends BorderPane {

    private final SessionState session;
    private final Window owner;
    private final TabPane tabs = new TabPane();
    private final Label statusLabel = new Label();
    private final Label scheduleLabel = new Label();

    public MainWindow(SessionState session, Window owner) {
        this.session = session;
        this.owner = owner;
        createView();
        initListeners();
    }

    private void createView() {
        getStyleClass().add("main-window");
        setTop(createMenuBar());
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setId("views");
        Tab start = new Tab(I18n.t("tab.start"), new StartPage());
        start.setId("tab-start");
        tabs.getTabs().add(start);
        setCenter(tabs);
        setBottom(createStatusBar());
    }

    private MenuBar createMenuBar() {
        MenuItem quit = new MenuItem(I18n.t("menu.file.quit"));
        quit.setId("menu-quit");
        quit.setAccelerator(KeyCombination.keyCombination("Shortcut+Q"));
        quit.setOnAction(e -> Platform.exit());
        Menu file = new Menu(I18n.t("menu.file"));
        file.setId("menu-file");
        file.getItems().addAll(new SeparatorMenuItem(), quit);

        MenuItem about = new MenuItem(I18n.t("menu.help.about"));
        about.setId("menu-about");
        about.setOnAction(e -> new AboutDialog(owner).showAndWait());
        Menu help = new Menu(I18n.t("menu.help"));
        help.setId("menu-help");
        help.getItems().add(about);

        MenuBar bar = new MenuBar(file, help);
        bar.setId("menu-bar");
        return bar;
    }

    private HBox createStatusBar() {
        statusLabel.setId("status-message");
        scheduleLabel.setId("status-schedule");
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox bar = new HBox(statusLabel, spacer, scheduleLabel);
        bar.setAlignment(Pos.CENTER_LEFT);
        bar.getStyleClass().add("status-bar");
        bar.setId("status-bar");
        return bar;
    }

    private void initListeners() {
        statusLabel.textProperty().bind(session.statusProperty());
        scheduleLabel.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(
                () -> I18n.t("status.schedule", session.scheduleConfig().toString()), session.scheduleConfigProperty()));
    }

    public SessionState session() {
        return session;
    }

    public TabPane tabs() {
        return tabs;
    }
}
