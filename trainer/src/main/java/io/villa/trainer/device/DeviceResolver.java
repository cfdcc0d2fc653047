package io.villa.trainer.device;

import java.util.Locale;

import ai.djl.Device;

/**
 * Turns a --device value into a device, given what DJL found. "auto" (or none): the first GPU when there is one,
 * else the CPU, saying why; "cpu"; "gpu" or "gpu:N" (also "cuda:N"): that GPU or a {@link DeviceUnavailableException}
 * naming what was asked for and what DJL found, never a silent fall back to the CPU.
 */
public final class DeviceResolver {

    private DeviceResolver() {}

    public static DeviceChoice resolve(String requested, GpuInventory found) {
        if (requested == null || requested.isBlank() || requested.trim().equalsIgnoreCase("auto")) {
            return found.gpuCount() > 0
                    ? new DeviceChoice(Device.gpu(0), "auto: " + found.describe() + "; the first one")
                    : new DeviceChoice(Device.cpu(), "auto: " + found.describe() + "; the CPU");
        }
        String r = requested.trim().toLowerCase(Locale.ROOT);
        if (r.equals("cpu")) {
            return new DeviceChoice(Device.cpu(), "asked for cpu");
        }
        if (r.startsWith("gpu") || r.startsWith("cuda")) {
            int index = gpuIndex(requested, r);
            if (index >= found.gpuCount()) {
                throw new DeviceUnavailableException("device " + requested.trim() + " asks for GPU " + index + ", but "
                        + found.describe() + "; not falling back to the CPU (use --device cpu or auto, or a CUDA build:"
                        + " README.md, GPU)");
            }
            return new DeviceChoice(Device.gpu(index), "asked for " + requested.trim() + "; " + found.describe());
        }
        throw new IllegalArgumentException("unknown device '" + requested + "': use auto, cpu, gpu or gpu:N");
    }

    private static int gpuIndex(String requested, String r) {
        String kind = r.startsWith("gpu") ? "gpu" : "cuda";
        String rest = r.substring(kind.length());
        if (rest.isEmpty()) {
            return 0;
        }
        if (rest.startsWith(":")
                && rest.length() > 1
                && rest.substring(1).chars().allMatch(Character::isDigit)
                && rest.length() <= 6) {
            return Integer.parseInt(rest.substring(1));
        }
        throw new IllegalArgumentException("unknown device '" + requested + "': use auto, cpu, gpu or gpu:N");
    }
}
