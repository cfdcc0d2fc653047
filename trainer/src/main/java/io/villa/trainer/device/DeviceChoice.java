package io.villa.trainer.device;

import ai.djl.Device;

/**
 * The device a model runs on and why it was chosen, for the trainer's first log line.
 *
 * @param device the DJL device
 * @param reason e.g. "auto: DJL found 0 GPUs (PyTorch 2.7.1, built without CUDA)"
 */
public record DeviceChoice(Device device, String reason) {

    public DeviceChoice {
        if (device == null) {
            throw new IllegalArgumentException("device must be set, was null");
        }
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("reason must be given, was '" + reason + "'");
        }
    }

    /** The choice as a --device value that picks this very device again ("cpu", "gpu:1"). */
    public String asOption() {
        return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
    }

    /** "gpu(0): auto: DJL found 1 GPU (...)". */
    public String describe() {
        return device + ": " + reason;
    }
}
