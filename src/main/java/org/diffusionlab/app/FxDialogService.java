package org.diffusionlab.app;

import java.io.File;
import java.nio.file.Path;
import java.util.Optional;

import javafx.scene.control.TextInputDialog;
import javafx.stage.FileChooser;
import javafx.stage.Window;

/** The real dialogs: native file choosers and a text input dialog. Remembers the last folder. */
public final class FxDialogService implements DialogService {

    private final Window owner;
    private File lastFolder = AppDirs.startFolder().toFile();

    public FxDialogService(Window owner) {
        this.owner = owner;
    }

    @Override
    public Optional<Path> chooseImageToOpen() {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(I18n.t("dialog.open.title"));
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter(I18n.t("dialog.open.images"), "*.png", "*.jpg", "*.jpeg", "*.bmp",
                        "*.gif", "*.PNG", "*.JPG", "*.JPEG", "*.BMP", "*.GIF"),
                new FileChooser.ExtensionFilter(I18n.t("dialog.open.all"), "*"));
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        return remember(chooser.showOpenDialog(owner));
    }

    @Override
    public Optional<Path> chooseTextFileToOpen(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter(I18n.t("dialog.open.text"), "*.csv", "*.txt", "*.lesson", "*.CSV", "*.TXT"),
                new FileChooser.ExtensionFilter(I18n.t("dialog.open.all"), "*"));
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        return remember(chooser.showOpenDialog(owner));
    }

    @Override
    public Optional<Path> chooseSessionToOpen(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter(I18n.t("dialog.open.sessions"), "*.dls", "*.DLS"),
                new FileChooser.ExtensionFilter(I18n.t("dialog.open.all"), "*"));
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        return remember(chooser.showOpenDialog(owner));
    }

    @Override
    public Optional<Path> chooseModelToOpen(String title) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.getExtensionFilters().addAll(
                new FileChooser.ExtensionFilter(I18n.t("dialog.open.models"), "*.dlm", "*.DLM"),
                new FileChooser.ExtensionFilter(I18n.t("dialog.open.all"), "*"));
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        return remember(chooser.showOpenDialog(owner));
    }

    @Override
    public Optional<Path> chooseFolder(String title) {
        javafx.stage.DirectoryChooser chooser = new javafx.stage.DirectoryChooser();
        chooser.setTitle(title);
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        File dir = chooser.showDialog(owner);
        if (dir != null) {
            lastFolder = dir;
        }
        return Optional.ofNullable(dir).map(File::toPath);
    }

    @Override
    public Optional<Path> chooseSaveFile(String title, String initialName, String extension) {
        FileChooser chooser = new FileChooser();
        chooser.setTitle(title);
        chooser.setInitialFileName(initialName);
        chooser.getExtensionFilters().add(new FileChooser.ExtensionFilter(extension.toUpperCase(), "*." + extension));
        if (lastFolder != null && lastFolder.isDirectory()) {
            chooser.setInitialDirectory(lastFolder);
        }
        return remember(chooser.showSaveDialog(owner));
    }

    @Override
    public Optional<String> askText(String title, String prompt, String initial) {
        TextInputDialog dialog = new TextInputDialog(initial);
        dialog.initOwner(owner);
        dialog.setTitle(title);
        dialog.setHeaderText(null);
        dialog.setContentText(prompt);
        return dialog.showAndWait();
    }

    @Override
    public boolean confirm(String title, String question, String goAhead) {
        javafx.scene.control.ButtonType yes = new javafx.scene.control.ButtonType(goAhead, javafx.scene.control.ButtonBar.ButtonData.OK_DONE);
        javafx.scene.control.Alert alert = new javafx.scene.control.Alert(javafx.scene.control.Alert.AlertType.CONFIRMATION, question,
                yes, javafx.scene.control.ButtonType.CANCEL);
        alert.initOwner(owner);
        alert.setTitle(title);
        alert.setHeaderText(null);
        return alert.showAndWait().filter(b -> b == yes).isPresent();
    }

    private Optional<Path> remember(File file) {
        if (file == null) {
            return Optional.empty();
        }
        lastFolder = file.getParentFile();
        return Optional.of(file.toPath());
    }
}
