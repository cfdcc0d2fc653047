package io.villa.trainer.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import ai.djl.Device;

/** The device choice with the GPU count as input: no engine, no GPU needed. */
class DeviceResolverTest {

    private static final GpuInventory NO_GPU = new GpuInventory(0, "PyTorch 2.7.1, built without CUDA");
    private static final GpuInventory TWO_GPUS = new GpuInventory(2, "PyTorch 2.5.1, built with CUDA");

    @Test
    void autoTakesTheFirstGpuWhenThereIsOneAndSaysWhy() {
        DeviceChoice choice = DeviceResolver.resolve("auto", TWO_GPUS);

        assertThat(choice.device()).isEqualTo(Device.gpu(0));
        assertThat(choice.reason()).isEqualTo("auto: DJL found 2 GPUs (PyTorch 2.5.1, built with CUDA); the first one");
        assertThat(choice.asOption()).isEqualTo("gpu:0");
    }

    @Test
    void autoWithoutAGpuTakesTheCpuAndSaysWhatDjlFound() {
        for (String auto : new String[] {null, "", " AUTO "}) {
            DeviceChoice choice = DeviceResolver.resolve(auto, NO_GPU);

            assertThat(choice.device()).as("--device '%s'", auto).isEqualTo(Device.cpu());
            assertThat(choice.describe())
                    .isEqualTo("cpu(): auto: DJL found 0 GPUs (PyTorch 2.7.1, built without CUDA); the CPU");
            assertThat(choice.asOption()).isEqualTo("cpu");
        }
    }

    @Test
    void cpuIsTheCpuWhateverIsFound() {
        assertThat(DeviceResolver.resolve("cpu", TWO_GPUS).device()).isEqualTo(Device.cpu());
        assertThat(DeviceResolver.resolve("CPU", NO_GPU).reason()).isEqualTo("asked for cpu");
    }

    @Test
    void gpuAndGpuIndexPickThatGpu() {
        Map<String, Device> expected =
                Map.of("gpu", Device.gpu(0), "gpu:1", Device.gpu(1), "cuda:0", Device.gpu(0), "cuda", Device.gpu(0));
        expected.forEach((requested, device) -> {
            DeviceChoice choice = DeviceResolver.resolve(requested, TWO_GPUS);
            assertThat(choice.device()).as(requested).isEqualTo(device);
            assertThat(choice.reason()).as(requested).startsWith("asked for " + requested + "; DJL found 2 GPUs");
        });
    }

    @Test
    void aGpuThatIsNotThereFailsInOneLineNamingTheRequestAndWhatDjlFound() {
        assertThatThrownBy(() -> DeviceResolver.resolve("gpu", NO_GPU))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageStartingWith(
                        "device gpu asks for GPU 0, but DJL found 0 GPUs (PyTorch 2.7.1, built without CUDA);"
                                + " not falling back to the CPU")
                .hasMessageNotContaining("\n");
        assertThatThrownBy(() -> DeviceResolver.resolve("gpu:2", TWO_GPUS))
                .isInstanceOf(DeviceUnavailableException.class)
                .hasMessageStartingWith("device gpu:2 asks for GPU 2, but DJL found 2 GPUs");
    }

    @Test
    void anUnknownDeviceIsRefusedNamingTheChoices() {
        for (String bad : new String[] {"tpu", "gpu:x", "gpu:", "gpux", "gpu:99999999999"}) {
            assertThatThrownBy(() -> DeviceResolver.resolve(bad, TWO_GPUS))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .isNotInstanceOf(DeviceUnavailableException.class)
                    .hasMessage("unknown device '" + bad + "': use auto, cpu, gpu or gpu:N");
        }
    }

    @Test
    void theInventoryRefusesANegativeCount() {
        assertThatThrownBy(() -> new GpuInventory(-1, "PyTorch")).hasMessage("gpuCount must be >= 0, was -1");
    }
}
