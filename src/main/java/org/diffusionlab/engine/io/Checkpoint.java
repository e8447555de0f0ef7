package org.diffusionlab.engine.io;

import org.diffusionlab.engine.Text;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

import org.diffusionlab.engine.diffusion.PredictionType;
import org.diffusionlab.engine.model.DenoiserNet;
import org.diffusionlab.engine.model.Mlp2dConfig;
import org.diffusionlab.engine.model.ModelConfig;
import org.diffusionlab.engine.model.UNetConfig;
import org.diffusionlab.engine.schedule.ScheduleConfig;
import org.diffusionlab.engine.schedule.ScheduleKind;
import org.diffusionlab.engine.train.AdamConfig;
import org.diffusionlab.engine.train.LrSchedule;
import org.diffusionlab.engine.train.TrainConfig;
import org.diffusionlab.engine.train.Trainer;

/**
 * A trained model in one file: weights, optimiser state, step, model and schedule configuration,
 * training settings, the data set's description and the seed. A ZIP archive (its checksums catch
 * damage) with a {@code manifest.properties} and raw little-endian float arrays; written atomically.
 */
public record Checkpoint(ModelConfig model, ScheduleConfig schedule, TrainConfig train, long step, long adamStep,
                         float[] parameters, float[] adamM, float[] adamV, float[] ema, String dataset, java.util.List<String> classNames) {

    /**
     * The format written now (2: a class-conditional model's classes and their names); files of a higher
     * version are refused with a clear message, and version 1 files (no classes) still open.
     */
    public static final int VERSION = 2;

    public Checkpoint {
        classNames = classNames == null ? java.util.List.of() : java.util.List.copyOf(classNames);
        if (classNames.size() != model.classes()) {
            throw new IllegalArgumentException("the model has " + model.classes() + " classes but " + classNames.size() + " names");
        }
    }
    static final String FORMAT = "diffusion-lab-model";
    static final long MAX_BYTES = 512L * 1024 * 1024;

    /** The state of a trainer, ready to save. */
    public static Checkpoint of(Trainer trainer, String dataset) {
        return of(trainer, dataset, java.util.List.of());
    }

    /** The state of a trainer of a class-conditional model, with the names of its classes in label order. */
    public static Checkpoint of(Trainer trainer, String dataset, java.util.List<String> classNames) {
        return new Checkpoint(trainer.model().config(), trainer.schedule().config(), trainer.config(), trainer.steps(),
                trainer.adam().step(), trainer.model().parameterValues(), trainer.adam().firstMoment(),
                trainer.adam().secondMoment(), trainer.emaParameters(), dataset, classNames);
    }

    /** A model with these weights (the EMA weights if asked for and present). */
    public DenoiserNet toModel(boolean useEma) {
        return toModel(useEma, org.diffusionlab.engine.EngineOptions.defaults());
    }

    /** The same, run the way {@code options} say. */
    public DenoiserNet toModel(boolean useEma, org.diffusionlab.engine.EngineOptions options) {
        DenoiserNet m = model.create(schedule.timesteps(), train.seed(), options);
        m.setParameters(useEma && ema != null ? ema : parameters);
        return m;
    }

    /** A trainer that continues this training on the given data. */
    public Trainer toTrainer(org.diffusionlab.engine.schedule.NoiseSchedule s, float[] data) {
        return toTrainer(s, data, org.diffusionlab.engine.EngineOptions.defaults());
    }

    /** The same, run the way {@code options} say. */
    public Trainer toTrainer(org.diffusionlab.engine.schedule.NoiseSchedule s, float[] data, org.diffusionlab.engine.EngineOptions options) {
        return toTrainer(s, data, null, options);
    }

    /** The same for a class-conditional model, with the class of every example. */
    public Trainer toTrainer(org.diffusionlab.engine.schedule.NoiseSchedule s, float[] data, Trainer.Conditioning conditioning,
                             org.diffusionlab.engine.EngineOptions options) {
        Trainer t = new Trainer(s, data, conditioning, model, train, options);
        t.restore(parameters, adamM, adamV, adamStep, step);
        return t;
    }

    /** True for an image model (a UNet), false for a 2D point model. */
    public boolean isImageModel() {
        return model instanceof UNetConfig;
    }

    public PredictionType prediction() {
        return train.prediction();
    }

    /** Writes the model to a file, atomically. */
    public void save(Path target) throws InvalidInputException {
        AtomicFiles.write(target, this::writeTo);
    }

    /** The model file's bytes (a session file carries a model this way). */
    public byte[] toBytes() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            writeTo(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return b.toByteArray();
    }

    /** Writes the model file's ZIP to {@code out}. */
    public void writeTo(java.io.OutputStream out) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", FORMAT);
        p.setProperty("version", Integer.toString(VERSION));
        p.setProperty("model", model.id());
        if (model instanceof Mlp2dConfig m) {
            p.setProperty("model.hidden", Integer.toString(m.hidden()));
            p.setProperty("model.layers", Integer.toString(m.layers()));
            p.setProperty("model.temb", Integer.toString(m.tembDim()));
            if (m.classes() > 0) {
                p.setProperty("model.classes", Integer.toString(m.classes()));
            }
        } else if (model instanceof UNetConfig u) {
            p.setProperty("model.channels", Integer.toString(u.channels()));
            p.setProperty("model.size", Integer.toString(u.size()));
            p.setProperty("model.base", Integer.toString(u.base()));
            if (u.classes() > 0) {
                p.setProperty("model.classes", Integer.toString(u.classes()));
            }
        }
        p.setProperty("schedule.kind", schedule.kind().id());
        p.setProperty("schedule.timesteps", Integer.toString(schedule.timesteps()));
        p.setProperty("schedule.betaStart", Double.toString(schedule.betaStart()));
        p.setProperty("schedule.betaEnd", Double.toString(schedule.betaEnd()));
        p.setProperty("schedule.zeroTerminalSnr", Boolean.toString(schedule.zeroTerminalSnr()));
        p.setProperty("train.batch", Integer.toString(train.batch()));
        p.setProperty("train.lr", Double.toString(train.adam().lr()));
        p.setProperty("train.beta1", Double.toString(train.adam().beta1()));
        p.setProperty("train.beta2", Double.toString(train.adam().beta2()));
        p.setProperty("train.eps", Double.toString(train.adam().eps()));
        p.setProperty("train.clipNorm", Double.toString(train.adam().clipNorm()));
        p.setProperty("train.prediction", train.prediction().id());
        p.setProperty("train.ema", Double.toString(train.emaDecay()));
        p.setProperty("train.lrWarmup", Integer.toString(train.lrSchedule().warmupSteps()));
        p.setProperty("train.lrDecaySteps", Long.toString(train.lrSchedule().decaySteps()));
        p.setProperty("train.lrFinal", Double.toString(train.lrSchedule().finalFactor()));
        p.setProperty("train.seed", Long.toString(train.seed()));
        p.setProperty("step", Long.toString(step));
        p.setProperty("adam.step", Long.toString(adamStep));
        p.setProperty("dataset", dataset == null ? "" : dataset);
        for (int i = 0; i < classNames.size(); i++) {
            p.setProperty("class." + i, classNames.get(i));
        }
        StringWriter manifest = new StringWriter();
        try {
            p.store(manifest, "Diffusion Lab model");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        {
            ZipOutputStream zip = new ZipOutputStream(out);
            put(zip, "manifest.properties", manifest.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, "parameters.f32", floats(parameters));
            put(zip, "adam_m.f32", floats(adamM));
            put(zip, "adam_v.f32", floats(adamV));
            if (ema != null) {
                put(zip, "ema.f32", floats(ema));
            }
            if (schedule.kind() == ScheduleKind.CUSTOM) {
                double[] betas = schedule.customBetas();
                ByteBuffer b = ByteBuffer.allocate(8 * betas.length).order(ByteOrder.LITTLE_ENDIAN);
                for (double d : betas) {
                    b.putDouble(d);
                }
                put(zip, "betas.f64", b.array());
            }
            zip.finish();
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    private static byte[] floats(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : values) {
            b.putFloat(f);
        }
        return b.array();
    }

    private static float[] floats(byte[] bytes, int expected, String what, String name) throws InvalidInputException {
        if (bytes == null) {
            throw InvalidInputException.of("model.incomplete", name, new Text(what));
        }
        if (bytes.length != 4 * expected) {
            throw InvalidInputException.of("model.wrongCount", name, new Text(what), bytes.length / 4, expected);
        }
        float[] out = new float[expected];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** Reads a model file; any problem is an {@link InvalidInputException} saying what is wrong. */
    public static Checkpoint load(Path file) throws InvalidInputException {
        String name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        if (!Files.isRegularFile(file)) {
            throw InvalidInputException.of("model.missing", file);
        }
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw InvalidInputException.of("model.tooLarge", name);
            }
            try (java.io.InputStream in = Files.newInputStream(file)) {
                return read(in, name);
            }
        } catch (IOException e) {
            throw InvalidInputException.because(e, "file.cannotRead", file, e.getMessage());
        }
    }

    /** Reads a model from a model file's bytes (carried in a session file, named {@code name} in messages). */
    public static Checkpoint fromBytes(byte[] bytes, String name) throws InvalidInputException {
        try {
            return read(new java.io.ByteArrayInputStream(bytes), name);
        } catch (IOException e) {
            throw InvalidInputException.because(e, "model.truncated", name, e.getMessage());
        }
    }

    private static Checkpoint read(java.io.InputStream in, String name) throws InvalidInputException, IOException {
        Map<String, byte[]> entries = new HashMap<>();
        // an entry is read only up to the size its model can need: the manifest comes first and says
        // how many parameters there are; before it, up to ENTRY_BYTES
        long cap = ENTRY_BYTES;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                byte[] bytes = readAll(zip, cap, name);
                entries.put(e.getName(), bytes);
                if (e.getName().equals("manifest.properties")) {
                    cap = entryLimit(bytes);
                }
            }
        } catch (ZipException | java.io.EOFException e) {
            throw InvalidInputException.because(e, "model.truncated", name, e.getMessage());
        }
        byte[] manifestBytes = entries.get("manifest.properties");
        if (manifestBytes == null) {
            throw InvalidInputException.of("model.notModel", name);
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(manifestBytes, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            throw InvalidInputException.because(e, "model.noDescription", name);
        }
        if (!FORMAT.equals(p.getProperty("format"))) {
            throw InvalidInputException.of("model.notModel", name);
        }
        int version = integer(p, "version", name);
        if (version > VERSION) {
            throw InvalidInputException.of("model.newer", name, version, VERSION);
        }
        String kindOfModel = p.getProperty("model");
        if (!"mlp2d".equals(kindOfModel) && !"unet".equals(kindOfModel)) {
            throw InvalidInputException.of("model.unknownKind", name, p.getProperty("model"));
        }
        try {
            ModelConfig model = "unet".equals(kindOfModel)
                    ? new UNetConfig(integer(p, "model.channels", name), integer(p, "model.size", name), integer(p, "model.base", name),
                            Integer.parseInt(p.getProperty("model.classes", "0")))
                    : new Mlp2dConfig(integer(p, "model.hidden", name), integer(p, "model.layers", name),
                            integer(p, "model.temb", name), Integer.parseInt(p.getProperty("model.classes", "0")));
            java.util.List<String> classNames = new java.util.ArrayList<>();
            for (int i = 0; i < model.classes(); i++) {
                classNames.add(p.getProperty("class." + i, "class " + i));
            }
            ScheduleKind kind = ScheduleKind.parse(p.getProperty("schedule.kind"));
            int timesteps = integer(p, "schedule.timesteps", name);
            boolean ztsnr = Boolean.parseBoolean(p.getProperty("schedule.zeroTerminalSnr"));
            ScheduleConfig schedule;
            if (kind == ScheduleKind.CUSTOM) {
                byte[] b = entries.get("betas.f64");
                if (b == null || b.length != 8 * timesteps) {
                    throw InvalidInputException.of("model.noBetas", name);
                }
                double[] betas = new double[timesteps];
                ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(betas);
                schedule = ScheduleConfig.custom(betas).withZeroTerminalSnr(ztsnr);
            } else {
                schedule = new ScheduleConfig(kind, timesteps, number(p, "schedule.betaStart", name),
                        number(p, "schedule.betaEnd", name), ztsnr, null);
            }
            AdamConfig adam = new AdamConfig(number(p, "train.lr", name), number(p, "train.beta1", name),
                    number(p, "train.beta2", name), number(p, "train.eps", name), number(p, "train.clipNorm", name));
            // files written before schedules existed trained at a constant rate
            LrSchedule lrSchedule = new LrSchedule(Integer.parseInt(p.getProperty("train.lrWarmup", "0")),
                    Long.parseLong(p.getProperty("train.lrDecaySteps", "0")), Double.parseDouble(p.getProperty("train.lrFinal", "1")));
            TrainConfig train = new TrainConfig(integer(p, "train.batch", name), adam,
                    PredictionType.parse(p.getProperty("train.prediction")), number(p, "train.ema", name),
                    Long.parseLong(p.getProperty("train.seed", "0")), lrSchedule);
            int n = model.parameterCount();
            float[] ema = entries.containsKey("ema.f32")
                    ? finite(floats(entries.get("ema.f32"), n, "model.part.ema", name), "model.part.ema", name) : null;
            return new Checkpoint(model, schedule, train, Long.parseLong(p.getProperty("step", "0")),
                    Long.parseLong(p.getProperty("adam.step", "0")),
                    finite(floats(entries.get("parameters.f32"), n, "model.part.weights", name), "model.part.weights", name),
                    finite(floats(entries.get("adam_m.f32"), n, "model.part.optimiser", name), "model.part.optimiser", name),
                    finite(floats(entries.get("adam_v.f32"), n, "model.part.optimiser", name), "model.part.optimiser", name),
                    ema, p.getProperty("dataset", ""), classNames);
        } catch (IllegalArgumentException e) {
            throw InvalidInputException.because(e, "model.damaged", name, e.getMessage());
        }
    }

    /** The most an entry may hold before the manifest says how large the model is. */
    static final long ENTRY_BYTES = 128L * 1024 * 1024;

    private static byte[] readAll(InputStream in, long cap, String name) throws IOException, InvalidInputException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int r;
        while ((r = in.read(buf)) > 0) {
            out.write(buf, 0, r);
            if (out.size() > cap) {
                throw InvalidInputException.of("model.entryTooLarge", name);
            }
        }
        return out.toByteArray();
    }

    /** The largest entry a model described by this manifest can have (its float arrays, or custom betas). */
    private static long entryLimit(byte[] manifest) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(new String(manifest, StandardCharsets.UTF_8)));
            ModelConfig model = "unet".equals(p.getProperty("model"))
                    ? new UNetConfig(integer(p, "model.channels", ""), integer(p, "model.size", ""), integer(p, "model.base", ""),
                            Integer.parseInt(p.getProperty("model.classes", "0")))
                    : new Mlp2dConfig(integer(p, "model.hidden", ""), integer(p, "model.layers", ""), integer(p, "model.temb", ""),
                            Integer.parseInt(p.getProperty("model.classes", "0")));
            long betas = 8L * Math.max(0, integer(p, "schedule.timesteps", ""));
            return Math.max(4L * model.parameterCount(), betas) + 4096;
        } catch (IOException | InvalidInputException | RuntimeException e) {
            return ENTRY_BYTES;                                 // the manifest is checked, and refused, below
        }
    }

    /** Refuses weights, averages or optimiser state holding NaN or infinity: the file is damaged. */
    private static float[] finite(float[] values, String what, String name) throws InvalidInputException {
        if (values != null) {
            for (float v : values) {
                if (!Float.isFinite(v)) {
                    throw InvalidInputException.of("model.notFinite", name, new Text(what));
                }
            }
        }
        return values;
    }

    private static int integer(Properties p, String key, String name) throws InvalidInputException {
        try {
            return Integer.parseInt(p.getProperty(key, "").strip());
        } catch (NumberFormatException e) {
            throw InvalidInputException.of("model.notWhole", name, key);
        }
    }

    private static double number(Properties p, String key, String name) throws InvalidInputException {
        try {
            return Double.parseDouble(p.getProperty(key, "").strip());
        } catch (NumberFormatException e) {
            throw InvalidInputException.of("model.notNumber", name, key);
        }
    }
}
