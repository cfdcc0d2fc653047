package io.villa.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import ai.djl.engine.Engine;
import io.villa.trainer.config.TrainerSettings;
import io.villa.trainer.data.Example;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.service.TrainingListener;
import io.villa.trainer.train.MemoryTraining;

/**
 * A short training run on the GPU (when DJL finds one) and on the CPU, printing regions/s for each.
 * Synthetic pairs ({@link SyntheticPairs}), nothing downloaded. Run by trainer/gpu-check.sh.
 *
 * <p>Arguments: [steps (default 300)] [batch size (default 256)] [cpu threads (default all cores)].
 */
public final class GpuCheck {

    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        TrainerSettings base = TrainerSettings.defaults().withBatchSize(batch);
        List<Example> data = SyntheticPairs.make(batch * 40, base.imageSize(), 7);
        // the engine starts in the first model; threads are fixed then
        List<String> lines = new ArrayList<>();
        for (String device : new String[] {"gpu", "cpu"}) {
            ContrastiveModel model;
            try {
                model = ContrastiveModel.create(base.withDevice(device), threads);
            } catch (IllegalArgumentException e) {
                lines.add(String.format(Locale.ROOT, "%-4s unavailable: %s", device, e.getMessage()));
                continue;
            }
            try (model) {
                int deviceSteps = device.equals("gpu") ? steps : Math.max(5, steps / 10);
                MemoryTraining.run(model, data, 5, 1, TrainingListener.NONE); // warm-up: allocator, kernels
                MemoryTraining.Result r = MemoryTraining.run(model, data, deviceSteps, 2, TrainingListener.NONE);
                lines.add(String.format(Locale.ROOT, "%-4s %-8s %6d steps x %d: %10.1f regions/s (%.1f steps/s), loss %.3f -> %.3f",
                        device, model.device(), r.steps(), batch, r.regionsPerSecond(), r.steps() / r.seconds(),
                        r.firstLoss(), r.lastLoss()));
            }
        }
        System.out.println("PyTorch " + Engine.getEngine("PyTorch").getVersion() + ", GPUs found by DJL: "
                + Engine.getInstance().getGpuCount());
        lines.forEach(System.out::println);
    }
}
