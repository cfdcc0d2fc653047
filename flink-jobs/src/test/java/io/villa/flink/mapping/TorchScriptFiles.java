package io.villa.flink.mapping;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes a TorchScript file without Python, for tests: a .pt is a zip whose entries (stored, under "archive/") are
 * the module object pickled (data.pkl), the class's TorchScript source (code/__torch__.py), the constants (an empty
 * tuple) and the file-format version. The module has no parameters: adaptive average pool to 7x7, flattened.
 */
final class TorchScriptFiles {

    static final int FEATURES_PER_CHANNEL = 49;

    private TorchScriptFiles() {
    }

    static Path poolingEncoder(Path file) throws IOException {
        String code = String.join("\n",
                "class RegionEncoder(Module):",
                "  __parameters__ = []",
                "  __buffers__ = []",
                "  training : bool",
                "  def forward(self: __torch__.RegionEncoder,",
                "    x: Tensor) -> Tensor:",
                "    _0 = torch.adaptive_avg_pool2d(x, [7, 7])",
                "    return torch.flatten(_0, 1)",
                "");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            put(zip, "data.pkl", moduleObject("RegionEncoder"));
            put(zip, "code/__torch__.py", code.getBytes(StandardCharsets.UTF_8));
            put(zip, "constants.pkl", new byte[] {(byte) 0x80, 2, ')', '.'});
            put(zip, "version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
        return file;
    }

    /** Pickle protocol 2 of an instance of __torch__.{cls} with training = False. */
    private static byte[] moduleObject(String cls) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x80);
        b.write(2);                                                                         // PROTO 2
        b.writeBytes(("c__torch__\n" + cls + "\n").getBytes(StandardCharsets.US_ASCII));   // GLOBAL
        b.write(')');                                                                       // EMPTY_TUPLE
        b.write(0x81);                                                                      // NEWOBJ
        b.write('}');                                                                       // EMPTY_DICT
        byte[] key = "training".getBytes(StandardCharsets.UTF_8);
        b.write('X');                                                                       // BINUNICODE
        b.writeBytes(new byte[] {(byte) key.length, 0, 0, 0});
        b.writeBytes(key);
        b.write(0x89);                                                                      // NEWFALSE
        b.write('s');                                                                       // SETITEM
        b.write('b');                                                                       // BUILD
        b.write('.');                                                                       // STOP
        return b.toByteArray();
    }

    private static void put(ZipOutputStream zip, String name, byte[] data) throws IOException {
        ZipEntry e = new ZipEntry("archive/" + name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(data.length);
        e.setCompressedSize(data.length);
        CRC32 crc = new CRC32();
        crc.update(data);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(data);
        zip.closeEntry();
    }
}
