package io.villa.trainer.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;

/**
 * Loads a user-supplied TorchScript module (for example a CLIP tower exported from Python with
 * {@code torch.jit.trace(...).save("tower.pt")}) as a trainable backbone in place of a built-in one.
 *
 * <p>Contract: an image backbone takes float32 (batch, 3, size, size) in [0, 1] and returns
 * (batch, features); a text backbone takes int64 token ids (batch, sentences, tokens) from
 * {@link io.villa.trainer.text.WordTokenizer} (0 = padding) and returns (batch, features). Our own
 * projection and L2 normalisation follow. The module's parameters are trained with the rest.
 */
public final class TorchScriptBackbone {

    private TorchScriptBackbone() {
    }

    /**
     * @return the loaded block; the returned model owns its native memory and must stay open while
     *         the block is used
     */
    public static Model load(Path file, Device device, String name) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("TorchScript tower file not found: " + file);
        }
        Path absolute = file.toAbsolutePath();
        String fileName = absolute.getFileName().toString();
        String prefix = fileName.endsWith(".pt") ? fileName.substring(0, fileName.length() - 3) : fileName;
        Model model = Model.newInstance(name, device, "PyTorch");
        try {
            model.load(absolute.getParent(), prefix, Map.of("trainParam", "true"));
        } catch (MalformedModelException | RuntimeException e) {
            model.close();
            throw new IOException("not a loadable TorchScript module: " + file + " (" + e.getMessage() + ")", e);
        }
        return model;
    }

    public static Block blockOf(Model loaded) {
        return loaded.getBlock();
    }
}
