package org.diffusionlab.app;

import java.util.ArrayList;
import java.util.List;

import javafx.geometry.BoundingBox;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Labeled;
import javafx.scene.image.ImageView;
import javafx.scene.text.Text;

/**
 * What a person at the back of a classroom would call broken in a laid-out window, found from the scene
 * graph: a label whose text is cut to "...", two texts drawn over each other, text past the window's edge,
 * a main picture drawn much smaller than its panel, a formula shrunk below a readable size.
 *
 * <p>Main pictures carry the style class {@code main-image}; their panel is the nearest ancestor with
 * {@code picture-panel}. A picture that is a grid of small images (its properties hold {@code tile-pixels},
 * the side of one image in the picture's pixels) is one image per tile: its tiles must be at least
 * {@link #MIN_TILE_SIDE} on screen, whatever the shape of the grid, and the grid a quarter of its panel.
 */
public final class LayoutAudit {

    /** Smallest share of its panel's area a main picture may use. */
    static final double MIN_PICTURE_SHARE = 0.25;
    /** Smallest side of a main picture in pixels. */
    static final double MIN_PICTURE_SIDE = 90;
    /** Smallest side of one image of a grid of images, in pixels (a 16-pixel image drawn twice its size). */
    static final double MIN_TILE_SIDE = 32;
    /** A formula may be scaled down to this factor, not further. */
    static final double MIN_FORMULA_SCALE = 0.8;
    /** Overlaps smaller than this many pixels each way are anti-aliasing, not collisions. */
    private static final double SLACK = 2;
    /** A wrapped line's bounds include its trailing space, which a container may cut without cutting a letter. */
    private static final double SIDE_SLACK = 8;

    private record Piece(Node node, String name, Bounds bounds) {
    }

    private final List<String> problems = new ArrayList<>();
    /** Inside a scroll pane that scrolls sideways, where text beyond the edge is a scroll away, not lost. */
    private int sidewaysScrolling;
    /** Inside any scroll pane, where text out of sight is a scroll away (anywhere else, clipped text is lost). */
    private int scrolling;
    private final List<Piece> texts = new ArrayList<>();
    private final List<Piece> pictures = new ArrayList<>();
    private Bounds window;

    private LayoutAudit() {
    }

    /** Every problem in the visible part of {@code root}, one sentence each. */
    public static List<String> check(Parent root) {
        LayoutAudit audit = new LayoutAudit();
        audit.window = new BoundingBox(0, 0, root.getScene().getWidth(), root.getScene().getHeight());
        audit.walk(root, new BoundingBox(-1e6, -1e6, 2e6, 2e6));
        audit.overlaps();
        return audit.problems;
    }

    private void walk(Node node, Bounds clip) {
        if (!node.isVisible() || node.getOpacity() == 0) {
            return;
        }
        Bounds inner = clip;
        if (node.getClip() != null) {                  // scroll panes' viewports, text fields: what lies outside is not drawn
            inner = intersect(clip, node.localToScene(node.getClip().getBoundsInLocal()));
            if (inner == null) {
                return;
            }
        }
        if (node instanceof Labeled l) {
            checkLabeled(l, inner);
        } else if (node instanceof Text t && !isLabeledSkinText(t)) {
            addText(t, describe(t) + " \"" + abbreviate(t.getText()) + "\"", inner);
        }
        if (node instanceof javafx.scene.control.ToolBar bar) {
            Node overflow = bar.lookup(".tool-bar-overflow-button");
            if (overflow != null && overflow.isVisible()) {
                problems.add("tool bar " + describe(bar) + " hides some of its controls behind \u00bb");
            }
        }
        if (node.getStyleClass().contains("main-image")) {
            checkPicture(node);
        }
        if (node instanceof FormulaView f && f.getImage() != null) {
            double scale = f.localToScene(1, 0).getX() - f.localToScene(0, 0).getX();
            if (scale < MIN_FORMULA_SCALE) {
                problems.add("formula " + describe(f) + " is shrunk to " + Math.round(scale * 100) + " % ("
                        + Math.round(f.getBoundsInParent().getHeight() * scale) + " px high)");
            }
            Bounds b = visible(f, f.getBoundsInLocal(), inner);
            if (b != null) {
                pictures.add(new Piece(f, "formula " + describe(f), b));
            }
        }
        boolean scrolls = node instanceof javafx.scene.control.ScrollPane sp
                && sp.getHbarPolicy() != javafx.scene.control.ScrollPane.ScrollBarPolicy.NEVER && !sp.isFitToWidth();
        if (scrolls) {
            sidewaysScrolling++;
        }
        boolean scrollPane = node instanceof javafx.scene.control.ScrollPane;
        if (scrollPane) {
            scrolling++;
        }
        if (node instanceof Parent p) {
            for (Node child : p.getChildrenUnmodifiable()) {
                walk(child, inner);
            }
        }
        if (scrolls) {
            sidewaysScrolling--;
        }
        if (scrollPane) {
            scrolling--;
        }
    }

    private static boolean insideTextInput(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p instanceof javafx.scene.control.TextInputControl) {
                return true;
            }
        }
        return false;
    }

    private static boolean isLabeledSkinText(Text t) {
        return t.getParent() instanceof Labeled || t.getClass().getName().endsWith("LabeledText");
    }

    private void checkLabeled(Labeled l, Bounds clip) {
        String text = l.getText();
        if (text == null || text.isBlank()) {
            return;
        }
        Text shown = null;
        for (Node child : l.getChildrenUnmodifiable()) {
            if (child instanceof Text t) {
                shown = t;
            }
        }
        if (shown == null || !shown.isVisible()) {
            return;
        }
        String expected = l.isMnemonicParsing() ? text.replace("_", "") : text;
        String actual = l.isMnemonicParsing() ? shown.getText().replace("_", "") : shown.getText();
        if (!expected.equals(actual)) {
            problems.add(describe(l) + " is cut: \"" + actual + "\" instead of \"" + expected + "\"");
        }
        // a label clips its text to its own size: a label shorter than its lines cuts the last one
        if (shown.getClip() != null) {
            Bounds own = shown.getClip().getBoundsInLocal();
            Bounds full = shown.getBoundsInLocal();
            if (own.getHeight() < full.getHeight() - 2 || own.getWidth() < full.getWidth() - 2) {
                problems.add(describe(l) + " \"" + abbreviate(expected) + "\" is cut by its own edge (" + round(own) + " of " + round(full) + ")");
            }
        }
        addText(shown, describe(l) + " \"" + abbreviate(expected) + "\"", clip);
    }

    private void addText(Text t, String name, Bounds clip) {
        if (t.getText() == null || t.getText().isBlank()) {
            return;
        }
        Bounds full = t.localToScene(t.getBoundsInLocal());
        Bounds drawn = intersect(full, clip);
        if (drawn == null) {
            if (scrolling == 0) {
                problems.add(name + " is hidden: its container is too short or narrow for it");
            }
            return;                                             // else scrolled out of sight
        }
        if (drawn.getHeight() < full.getHeight() - SIDE_SLACK && scrolling == 0 && !insideTextInput(t)) {
            problems.add(name + " is cut off at the bottom or top by its container (" + round(drawn) + " of " + round(full) + ")");
        }
        // cut off at the side by its container (a scroll pane's viewport, say); a text field scrolls its own text
        if (drawn.getWidth() < full.getWidth() - SIDE_SLACK && sidewaysScrolling == 0 && !insideTextInput(t)) {
            problems.add(name + " is cut off at the side by its container (" + round(drawn) + " of " + round(full) + ")");
        }
        if (drawn.getMaxX() > window.getMaxX() + SLACK || drawn.getMaxY() > window.getMaxY() + SLACK
                || drawn.getMinX() < -SLACK) {
            problems.add(name + " runs past the window's edge (" + round(drawn) + ")");
        }
        Bounds b = intersect(drawn, window);
        if (b != null) {
            texts.add(new Piece(t, name, b));
        }
    }

    private void checkPicture(Node picture) {
        Node panel = picture.getParent();
        while (panel != null && !panel.getStyleClass().contains("picture-panel")) {
            panel = panel.getParent();
        }
        Bounds b = picture.localToScene(picture instanceof ImageView || picture instanceof Canvas
                ? picture.getBoundsInLocal() : picture.getLayoutBounds());
        if (b.getWidth() <= 0 || b.getHeight() <= 0) {
            return;                                               // nothing to show yet
        }
        String name = "picture " + describe(picture);
        pictures.add(new Piece(picture, name, b));
        Object tile = picture.getProperties().get("tile-pixels");
        if (tile instanceof Integer pixels && picture instanceof ImageView v && v.getImage() != null) {
            double side = pixels * b.getWidth() / v.getImage().getWidth();
            if (side < MIN_TILE_SIDE - 0.5) {
                problems.add(name + " draws its images " + Math.round(side) + " px wide (" + round(b) + " px in all)");
            }
        } else if (Math.min(b.getWidth(), b.getHeight()) < MIN_PICTURE_SIDE) {
            problems.add(name + " is only " + round(b) + " px");
        }
        if (panel != null) {
            Bounds p = panel.localToScene(panel.getLayoutBounds());
            double share = b.getWidth() * b.getHeight() / (p.getWidth() * p.getHeight());
            if (share < MIN_PICTURE_SHARE) {
                problems.add(name + " uses " + Math.round(share * 100) + " % of its panel (" + round(b) + " in "
                        + round(p) + ")");
            }
        }
    }

    private void overlaps() {
        for (int i = 0; i < texts.size(); i++) {
            for (int j = i + 1; j < texts.size(); j++) {
                collide(texts.get(i), texts.get(j));
            }
            for (Piece p : pictures) {
                collide(texts.get(i), p);
            }
        }
    }

    private void collide(Piece a, Piece b) {
        Bounds x = intersect(a.bounds, b.bounds);
        if (x != null && x.getWidth() > SLACK && x.getHeight() > SLACK && !related(a.node, b.node)) {
            problems.add(a.name + " overlaps " + b.name + " (" + round(x) + ")");
        }
    }

    private static boolean related(Node a, Node b) {
        for (Node n = a; n != null; n = n.getParent()) {
            if (n == b) {
                return true;
            }
        }
        for (Node n = b; n != null; n = n.getParent()) {
            if (n == a) {
                return true;
            }
        }
        return false;
    }

    private static Bounds visible(Node n, Bounds local, Bounds clip) {
        return intersect(n.localToScene(local), clip);
    }

    private static Bounds intersect(Bounds a, Bounds b) {
        double x0 = Math.max(a.getMinX(), b.getMinX());
        double y0 = Math.max(a.getMinY(), b.getMinY());
        double x1 = Math.min(a.getMaxX(), b.getMaxX());
        double y1 = Math.min(a.getMaxY(), b.getMaxY());
        return x1 > x0 && y1 > y0 ? new BoundingBox(x0, y0, x1 - x0, y1 - y0) : null;
    }

    private static String describe(Node n) {
        for (Node p = n; p != null; p = p.getParent()) {
            if (p.getId() != null) {
                return (p == n ? "" : n.getClass().getSimpleName() + " in ") + "#" + p.getId();
            }
        }
        return n.getClass().getSimpleName();
    }

    private static String abbreviate(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 40 ? one.substring(0, 40) + "\u2026" : one;
    }

    private static String round(Bounds b) {
        return String.format(java.util.Locale.ROOT, "%.0fx%.0f at %.0f,%.0f", b.getWidth(), b.getHeight(), b.getMinX(),
                b.getMinY());
    }
}
