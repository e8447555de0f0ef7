package org.diffusionlab.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import javax.imageio.ImageIO;

import org.diffusionlab.app.sampling.SamplingViewModel;
import org.diffusionlab.app.train.TrainViewModel;
import org.diffusionlab.engine.data.Toy2d;
import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.diffusion.TimestepSpacing;
import org.diffusionlab.engine.diffusion.VarianceType;
import org.diffusionlab.engine.io.AtomicFiles;
import org.diffusionlab.engine.io.ImageFiles;
import org.diffusionlab.engine.io.InvalidInputException;
import org.diffusionlab.engine.io.LoadedImage;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;

/**
 * A whole lesson state in one file ({@code .dls}, a ZIP): the image (as PNG), the schedule, t, the
 * noise seed and step-by-step mode, the view on show, the lesson page, the training and sampling
 * settings including a reference to a saved model; and, so that a teacher sends one file to the class,
 * the lesson itself when it is not the built-in one ({@code lesson.lesson}) and the trained model
 * ({@code model.dlm}, the weights of the moment the session was saved, also while training runs).
 * Written atomically. Opening a damaged file restores every part it can read and lists the parts it
 * could not.
 */
public final class SessionFile {

    static final String FORMAT = "diffusion-lab-session";
    public static final int VERSION = 1;
    static final long MAX_BYTES = 64L * 1024 * 1024;

    /** What was read: settings and the image (either may be partial), and what could not be restored. */
    public record Contents(Properties settings, java.awt.image.BufferedImage image, String imageName, String lessonText,
                           byte[] model, List<String> problems) {
    }

    static final String LESSON_ENTRY = "lesson.lesson";
    static final String MODEL_ENTRY = "model.dlm";

    private SessionFile() {
    }

    /** Collects the state (FX thread), for {@link #write}. */
    public static Properties capture(MainWindow.Models m, SessionState session, int tab) {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("version", Integer.toString(VERSION));
        ScheduleConfig c = session.scheduleConfig();
        p.setProperty("schedule.kind", c.kind().id());
        p.setProperty("schedule.timesteps", Integer.toString(c.timesteps()));
        p.setProperty("schedule.betaStart", Double.toString(c.betaStart()));
        p.setProperty("schedule.betaEnd", Double.toString(c.betaEnd()));
        p.setProperty("schedule.zeroTerminalSnr", Boolean.toString(c.zeroTerminalSnr()));
        if (c.kind() == ScheduleKind.CUSTOM) {
            StringBuilder b = new StringBuilder();
            for (double v : c.customBetas()) {
                b.append(b.length() == 0 ? "" : ",").append(v);
            }
            p.setProperty("schedule.betas", b.toString());
        }
        p.setProperty("t", Integer.toString(session.tProperty().get()));
        p.setProperty("view", Integer.toString(tab));
        p.setProperty("forward.seed", Long.toString(m.forward.seedProperty().get()));
        p.setProperty("forward.stepByStep", Boolean.toString(m.forward.stepModeProperty().get()));
        p.setProperty("lesson.visible", Boolean.toString(m.lessonVisible.get()));
        p.setProperty("lesson.page", Integer.toString(m.lesson.pageProperty().get()));
        TrainViewModel tr = m.train;
        p.setProperty("train.kind", tr.kindProperty().get().name());
        p.setProperty("train.dataset", tr.datasetProperty().get().id());
        p.setProperty("train.points", Integer.toString(tr.pointsProperty().get()));
        p.setProperty("train.conditional", Boolean.toString(tr.conditionalProperty().get()));
        p.setProperty("train.steps", Long.toString(tr.targetStepsProperty().get()));
        p.setProperty("train.batch", Integer.toString(tr.batchProperty().get()));
        p.setProperty("train.lr", Double.toString(tr.lrProperty().get()));
        p.setProperty("train.prediction", tr.predictionProperty().get().id());
        p.setProperty("train.seed", Long.toString(tr.seedProperty().get()));
        p.setProperty("train.images.source", tr.imageSourceProperty().get().name());
        p.setProperty("train.images.size", Integer.toString(tr.imageSizeProperty().get()));
        p.setProperty("train.images.width", Integer.toString(tr.imageWidthProperty().get()));
        p.setProperty("train.images.count", Integer.toString(tr.imageCountProperty().get()));
        if (tr.imagePathProperty().get() != null) {
            p.setProperty("train.images.path", tr.imagePathProperty().get().toAbsolutePath().toString());
        }
        SamplingViewModel s = m.sampling;
        p.setProperty("sampling.source", s.sourceProperty().get().name());
        p.setProperty("sampling.dataset", s.datasetProperty().get().id());
        p.setProperty("sampling.kind", s.kindProperty().get().name());
        p.setProperty("sampling.variance", s.varianceProperty().get().name());
        p.setProperty("sampling.spacing", s.spacingProperty().get().name());
        p.setProperty("sampling.ddimSteps", Integer.toString(s.ddimStepsProperty().get()));
        p.setProperty("sampling.eta", Double.toString(s.etaProperty().get()));
        p.setProperty("sampling.particles", Integer.toString(s.particlesProperty().get()));
        p.setProperty("sampling.seed", Integer.toString(s.seedProperty().get()));
        p.setProperty("sampling.start", s.startProperty().get().name());
        p.setProperty("sampling.startStep", Integer.toString(s.startStepProperty().get()));
        p.setProperty("sampling.clip", Boolean.toString(s.clipProperty().get()));
        p.setProperty("sampling.class", Integer.toString(s.sampleClassProperty().get()));
        p.setProperty("sampling.guidance", Double.toString(s.guidanceProperty().get()));
        if (s.modelFileProperty().get() != null) {
            p.setProperty("sampling.model", s.modelFileProperty().get().toAbsolutePath().toString());
        }
        return p;
    }

    /** Writes settings and the image (may be null) atomically. */
    public static void write(Path target, Properties settings, LoadedImage image, String imageName) throws InvalidInputException {
        write(target, settings, image, imageName, null, null);
    }

    /**
     * Writes settings, the image, a lesson's text and a model file's bytes (each may be null) atomically.
     */
    public static void write(Path target, Properties settings, LoadedImage image, String imageName, String lessonText,
                             byte[] model) throws InvalidInputException {
        StringWriter text = new StringWriter();
        try {
            Properties p = new Properties();
            p.putAll(settings);
            if (image != null) {
                p.setProperty("image.name", imageName == null ? "image" : imageName);
            }
            p.store(text, "Diffusion Lab session");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        byte[] png = null;
        if (image != null) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                ImageIO.write(ImageFiles.toImage(image.pixels()), "png", b);
            } catch (IOException e) {
                throw new InvalidInputException("cannot encode the image: " + e.getMessage(), e);
            }
            png = b.toByteArray();
        }
        byte[] pngBytes = png;
        AtomicFiles.write(target, out -> {
            ZipOutputStream zip = new ZipOutputStream(out);
            zip.putNextEntry(new ZipEntry("session.properties"));
            zip.write(text.toString().getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            if (pngBytes != null) {
                zip.putNextEntry(new ZipEntry("image.png"));
                zip.write(pngBytes);
                zip.closeEntry();
            }
            if (lessonText != null) {
                zip.putNextEntry(new ZipEntry(LESSON_ENTRY));
                zip.write(lessonText.getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            if (model != null) {
                zip.putNextEntry(new ZipEntry(MODEL_ENTRY));
                zip.write(model);
                zip.closeEntry();
            }
            zip.finish();
        });
    }

    /** Reads a session; a file that is not a session at all is refused, a damaged one gives what it can. */
    public static Contents read(Path file) throws InvalidInputException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw new InvalidInputException(I18n.t("session.error.missing", file));
        }
        Map<String, byte[]> entries = new HashMap<>();
        List<String> problems = new ArrayList<>();
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new InvalidInputException(I18n.t("session.error.tooLarge", name));
            }
            try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(file))) {
                ZipEntry e;
                while ((e = zip.getNextEntry()) != null) {
                    entries.put(e.getName(), zip.readAllBytes());
                }
            } catch (ZipException | java.io.EOFException e) {
                problems.add(I18n.t("session.problem.truncated"));
            }
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", file, e.getMessage());
        }
        byte[] manifest = entries.get("session.properties");
        if (manifest == null) {
            throw new InvalidInputException(I18n.t("session.error.notSession", name));
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(manifest, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidInputException(I18n.t("session.error.notSession", name), e);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw new InvalidInputException(I18n.t("session.error.notSession", name));
        }
        try {
            if (Integer.parseInt(p.getProperty("version", "1").strip()) > VERSION) {
                problems.add(I18n.t("session.problem.newer"));
            }
        } catch (NumberFormatException e) {
            problems.add(I18n.t("session.problem.part", "version"));
        }
        java.awt.image.BufferedImage image = null;
        byte[] png = entries.get("image.png");
        if (png != null) {
            try (InputStream in = new ByteArrayInputStream(png)) {
                image = ImageIO.read(in);
            } catch (IOException | RuntimeException e) {
                image = null;
            }
            if (image == null) {
                problems.add(I18n.t("session.problem.image"));
            }
        } else if (p.containsKey("image.name")) {
            problems.add(I18n.t("session.problem.image"));
        }
        byte[] lesson = entries.get(LESSON_ENTRY);
        return new Contents(p, image, p.getProperty("image.name", "image"),
                lesson == null ? null : new String(lesson, StandardCharsets.UTF_8), entries.get(MODEL_ENTRY), problems);
    }

    /**
     * Applies what was read (FX thread): every part separately, so that one bad value costs only
     * itself. {@code selectTab} receives the saved view; returns the parts that could not be restored.
     */
    public static List<String> apply(Contents c, MainWindow.Models m, SessionState session, Consumer<Integer> selectTab) {
        List<String> problems = new ArrayList<>(c.problems());
        Properties p = c.settings();
        // the lesson first: showing it applies its page's state, which the session's own values then override
        if (c.lessonText() != null) {
            // the lesson the teacher wrote, carried in the file (the built-in one is not)
            try {
                m.lesson.lessonProperty().set(org.diffusionlab.engine.lesson.LessonFormat.parse(c.lessonText(), LESSON_ENTRY));
            } catch (InvalidInputException e) {
                problems.add(I18n.t("session.problem.lesson", I18n.error(e)));
            }
        }
        part(problems, "lesson", () -> {
            m.lesson.pageProperty().set(Integer.parseInt(p.getProperty("lesson.page").strip()));
            m.lessonVisible.set(bool(p, "lesson.visible"));
        });
        part(problems, "schedule", () -> {
            ScheduleKind kind = ScheduleKind.parse(p.getProperty("schedule.kind"));
            boolean ztsnr = Boolean.parseBoolean(p.getProperty("schedule.zeroTerminalSnr", "false"));
            ScheduleConfig config;
            if (kind == ScheduleKind.CUSTOM) {
                String[] parts = p.getProperty("schedule.betas", "").split(",");
                double[] betas = new double[parts.length];
                for (int i = 0; i < parts.length; i++) {
                    betas[i] = Double.parseDouble(parts[i].strip());
                }
                config = ScheduleConfig.custom(betas).withZeroTerminalSnr(ztsnr);
            } else {
                config = new ScheduleConfig(kind, Integer.parseInt(p.getProperty("schedule.timesteps").strip()),
                        Double.parseDouble(p.getProperty("schedule.betaStart").strip()),
                        Double.parseDouble(p.getProperty("schedule.betaEnd").strip()), ztsnr, null);
            }
            session.scheduleConfigProperty().set(config);
        });
        part(problems, "t", () -> {
            int t = Integer.parseInt(p.getProperty("t").strip());
            if (t < 0 || t >= session.scheduleConfig().timesteps()) {
                throw new IllegalArgumentException("t");
            }
            session.tProperty().set(t);
        });
        part(problems, "forward", () -> {
            m.forward.seedProperty().set(Long.parseLong(p.getProperty("forward.seed").strip()));
            m.forward.stepModeProperty().set(bool(p, "forward.stepByStep"));
        });
        part(problems, "training", () -> {
            TrainViewModel tr = m.train;
            tr.kindProperty().set(TrainViewModel.Kind.valueOf(p.getProperty("train.kind").strip()));
            tr.datasetProperty().set(Toy2d.parse(p.getProperty("train.dataset")));
            tr.pointsProperty().set(Integer.parseInt(p.getProperty("train.points").strip()));
            tr.conditionalProperty().set(Boolean.parseBoolean(p.getProperty("train.conditional", "false").strip()));
            tr.targetStepsProperty().set(Long.parseLong(p.getProperty("train.steps").strip()));
            tr.batchProperty().set(Integer.parseInt(p.getProperty("train.batch").strip()));
            tr.lrProperty().set(Double.parseDouble(p.getProperty("train.lr").strip()));
            tr.predictionProperty().set(PredictionType.parse(p.getProperty("train.prediction")));
            tr.seedProperty().set(Long.parseLong(p.getProperty("train.seed").strip()));
            tr.imageSourceProperty().set(TrainViewModel.ImageSource.valueOf(p.getProperty("train.images.source").strip()));
            tr.imageSizeProperty().set(Integer.parseInt(p.getProperty("train.images.size").strip()));
            tr.imageWidthProperty().set(Integer.parseInt(p.getProperty("train.images.width").strip()));
            tr.imageCountProperty().set(Integer.parseInt(p.getProperty("train.images.count").strip()));
            if (p.containsKey("train.images.path")) {
                tr.imagePathProperty().set(Path.of(p.getProperty("train.images.path")));
            }
        });
        part(problems, "sampling", () -> {
            SamplingViewModel s = m.sampling;
            s.datasetProperty().set(Toy2d.parse(p.getProperty("sampling.dataset")));
            s.kindProperty().set(SamplingViewModel.Kind.valueOf(p.getProperty("sampling.kind").strip()));
            s.varianceProperty().set(VarianceType.valueOf(p.getProperty("sampling.variance").strip()));
            s.spacingProperty().set(TimestepSpacing.valueOf(p.getProperty("sampling.spacing").strip()));
            s.ddimStepsProperty().set(Integer.parseInt(p.getProperty("sampling.ddimSteps").strip()));
            s.etaProperty().set(Double.parseDouble(p.getProperty("sampling.eta").strip()));
            s.particlesProperty().set(Integer.parseInt(p.getProperty("sampling.particles").strip()));
            s.seedProperty().set(Integer.parseInt(p.getProperty("sampling.seed").strip()));
            s.startProperty().set(SamplingViewModel.Start.valueOf(p.getProperty("sampling.start").strip()));
            s.startStepProperty().set(Integer.parseInt(p.getProperty("sampling.startStep").strip()));
            s.clipProperty().set(bool(p, "sampling.clip"));
            // sessions written before classes existed draw without a class
            s.sampleClassProperty().set(Integer.parseInt(p.getProperty("sampling.class", "-1").strip()));
            s.guidanceProperty().set(Double.parseDouble(p.getProperty("sampling.guidance", "1").strip()));
            s.sourceProperty().set(SamplingViewModel.Source.valueOf(p.getProperty("sampling.source").strip()));
        });
        if (p.containsKey("sampling.model")) {
            Path model = Path.of(p.getProperty("sampling.model"));
            if (Files.isRegularFile(model)) {
                m.sampling.modelFileProperty().set(model);
            } else {
                problems.add(I18n.t("session.problem.model", model));
            }
        }
        if (c.model() != null) {
            // the model trained before the session was saved: Training continues from it, Sampling uses it
            try {
                m.train.open(org.diffusionlab.engine.io.Checkpoint.fromBytes(c.model(), MODEL_ENTRY), MODEL_ENTRY);
            } catch (InvalidInputException e) {
                problems.add(I18n.t("session.problem.embeddedModel", I18n.error(e)));
            }
        }
        part(problems, "view", () -> selectTab.accept(Integer.parseInt(p.getProperty("view").strip())));
        if (c.image() != null) {
            m.forward.loadImage(c.image(), c.imageName());
        }
        return problems;
    }

    private static boolean bool(Properties p, String key) {
        String v = p.getProperty(key, "").strip().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new IllegalArgumentException(key);
        }
        return v.equals("true");
    }

    private static void part(List<String> problems, String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            problems.add(I18n.t("session.problem.part", I18n.t("session.part." + what)));
        }
    }
}
