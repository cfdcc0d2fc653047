package io.villa.trainer.model;

import ai.djl.Device;
import ai.djl.engine.Engine;

/** Picks the device: a GPU when DJL finds one, else the CPU; "cpu", "gpu" or "gpu:N" override. */
public final class Devices {

    private Devices() {
    }

    public static Device select(String requested) {
        int gpus = Engine.getInstance().getGpuCount();
        if (requested == null || requested.isBlank() || requested.equalsIgnoreCase("auto")) {
            return gpus > 0 ? Device.gpu() : Device.cpu();
        }
        String r = requested.trim().toLowerCase(java.util.Locale.ROOT);
        if (r.equals("cpu")) {
            return Device.cpu();
        }
        if (r.startsWith("gpu") || r.startsWith("cuda")) {
            int index = r.contains(":") ? Integer.parseInt(r.substring(r.indexOf(':') + 1)) : 0;
            if (index >= gpus) {
                throw new IllegalArgumentException("device " + requested + " requested but DJL found " + gpus
                        + " GPU(s); a CUDA build of PyTorch is needed (see trainer/README.md, profile gpu)");
            }
            return Device.gpu(index);
        }
        throw new IllegalArgumentException("unknown device '" + requested + "': use auto, cpu, gpu or gpu:N");
    }
}
