package io.villa.trainer.device;

/** A GPU was asked for that DJL cannot use: never answered by falling back to the CPU. */
public final class DeviceUnavailableException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public DeviceUnavailableException(String message) {
        super(message);
    }
}
