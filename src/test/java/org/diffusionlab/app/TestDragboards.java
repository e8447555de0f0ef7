package org.diffusionlab.app;

import java.security.AccessControlContext;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import javafx.scene.image.Image;
import javafx.scene.input.DataFormat;
import javafx.scene.input.Dragboard;
import javafx.scene.input.TransferMode;
import javafx.util.Pair;

import com.sun.javafx.scene.input.DragboardHelper;
import com.sun.javafx.tk.TKClipboard;

/** A real {@link Dragboard} over a map, as the toolkit hands one to a drop target. */
public final class TestDragboards {

    private TestDragboards() {
    }

    public static Dragboard create(Set<TransferMode> modes) {
        return DragboardHelper.createDragboard(new MapClipboard(modes));
    }

    private static final class MapClipboard implements TKClipboard {
        private final Map<DataFormat, Object> content = new HashMap<>();
        private final Set<TransferMode> modes;
        private Image dragView;

        MapClipboard(Set<TransferMode> modes) {
            this.modes = EnumSet.copyOf(modes);
        }

        @Override
        @SuppressWarnings("removal")
        public void setSecurityContext(AccessControlContext ctx) {
        }

        @Override
        public Set<DataFormat> getContentTypes() {
            return content.keySet();
        }

        @Override
        @SafeVarargs
        public final boolean putContent(Pair<DataFormat, Object>... items) {
            content.clear();
            for (Pair<DataFormat, Object> p : items) {
                content.put(p.getKey(), p.getValue());
            }
            return true;
        }

        @Override
        public Object getContent(DataFormat format) {
            return content.get(format);
        }

        @Override
        public boolean hasContent(DataFormat format) {
            return content.containsKey(format);
        }

        @Override
        public Set<TransferMode> getTransferModes() {
            return modes;
        }

        @Override
        public void setDragView(Image image) {
            dragView = image;
        }

        @Override
        public void setDragViewOffsetX(double offsetX) {
        }

        @Override
        public void setDragViewOffsetY(double offsetY) {
        }

        @Override
        public Image getDragView() {
            return dragView;
        }

        @Override
        public double getDragViewOffsetX() {
            return 0;
        }

        @Override
        public double getDragViewOffsetY() {
            return 0;
        }
    }
}
