package dmdd.app.gui.training;

import dmdd.model.project.Project;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** A scripted trainer: a fixed number of steps, a checkpoint file kept when cancelled, resumed from. */
final class ScriptedTrainingEngine implements TrainingEngine {
    final int steps;
    final AtomicInteger resumedFrom = new AtomicInteger(-1);
    volatile boolean waitForCancel;

    ScriptedTrainingEngine(int steps) {
        this.steps = steps;
    }

    @Override
    public String describeDevice(String choice) {
        return "CPU (scripted)";
    }

    @Override
    public boolean canResume(Project project) {
        return Files.exists(project.chosenModelDir().resolve("checkpoint"));
    }

    @Override
    public Outcome train(Project project, boolean resume, Listener listener, BooleanSupplier cancelled)
            throws Exception {
        int start = 0;
        if (resume) {
            start = Integer.parseInt(Files.readString(project.chosenModelDir().resolve("checkpoint")));
            resumedFrom.set(start);
        }
        listener.message("obtaining teacher weights");
        for (int step = start; step < steps; step++) {
            while (waitForCancel && step == 3 && !cancelled.getAsBoolean()) {
                Thread.sleep(5);
            }
            if (cancelled.getAsBoolean()) {
                Files.writeString(project.chosenModelDir().resolve("checkpoint"), Integer.toString(step));
                return new Outcome(false, step, 0.1);
            }
            Map<String, Double> losses = new LinkedHashMap<>();
            losses.put("total", 1.0 / (step + 1));
            boolean student = step < steps / 2;
            // DMDD's student stage has two terms, its segmentation stage one (the total is that term)
            losses.put(student ? "ngm" : "segmentation", 0.5 / (step + 1));
            if (student) {
                losses.put("aim", 0.5 / (step + 1));
            }
            listener.progress(new Update(step + 1, steps, student ? "student" : "segmenter", losses,
                    12.5, (steps - step - 1) * 0.01));
        }
        Files.deleteIfExists(project.chosenModelDir().resolve("checkpoint"));
        return new Outcome(true, steps, 0.2);
    }
}
