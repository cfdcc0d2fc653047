package io.villa.trainer.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.data.Example;
import io.villa.trainer.device.DeviceMemory;
import io.villa.trainer.device.DeviceUnavailableException;
import io.villa.trainer.device.Devices;
import io.villa.trainer.device.GpuInventory;
import io.villa.trainer.device.MemoryUse;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.train.MemoryTraining;

/**
 * A short training run on the GPU (when DJL finds one) and on the CPU, printing regions/s for each and the peak
 * memory of each device (the GPU's read after every step). Synthetic pairs ({@link SyntheticPairs}), nothing
 * downloaded. Run by trainer/gpu-check.sh.
 *
 * <p>Arguments: [steps (default 300)] [batch size (default 256)] [cpu threads (default all cores)].
 */
public final class GpuCheck {

    private GpuCheck() {}

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        TrainerConfig base = TrainerConfig.builder().optBatchSize(batch).build();
        List<Example> data = SyntheticPairs.make(batch * 40, base.imageSize(), 7);
        List<String> lines = new ArrayList<>();
        for (String device : new String[] {"gpu", "cpu"}) {
            // the engine starts in the first choice; threads are fixed then
            try {
                Devices.choose(device, threads);
            } catch (DeviceUnavailableException e) {
                lines.add(String.format(Locale.ROOT, "%-4s unavailable: %s", device, e.getMessage()));
                continue;
            }
            try (ContrastiveModel model =
                    ContrastiveModel.create(base.toBuilder().optDevice(device).build(), threads)) {
                DeviceMemory memory = DeviceMemory.of(model.device());
                MemoryUse before = memory.read();
                int deviceSteps = device.equals("gpu") ? steps : Math.max(5, steps / 10);
                MemoryTraining.run(
                        model, data, 5, 1, (step, loss, keys) -> memory.read()); // warm-up: allocator, kernels
                MemoryTraining.Result r =
                        MemoryTraining.run(model, data, deviceSteps, 2, (step, loss, keys) -> memory.read());
                lines.add(String.format(
                        Locale.ROOT,
                        "%-4s %-8s %6d steps x %d: %10.1f regions/s (%.1f steps/s), loss %.3f -> %.3f",
                        device,
                        model.device(),
                        r.steps(),
                        batch,
                        r.regionsPerSecond(),
                        r.steps() / r.seconds(),
                        r.firstLoss(),
                        r.lastLoss()));
                lines.add(String.format(
                        Locale.ROOT,
                        "%-4s %-8s %s; before the model: %s",
                        "",
                        model.device(),
                        memory.read().describe(),
                        before.describe()));
            }
        }
        System.out.println(GpuInventory.ofEngine().describe());
        lines.forEach(System.out::println);
        System.out.println(
                "GPU memory: the whole card as the CUDA runtime reports it (PyTorch's cache included), peak = the"
                        + " highest reading, taken after every step; CPU memory: this process's resident set and its peak");
    }
}
