package io.villa.cli.commands;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import javax.imageio.ImageIO;

import io.villa.records.Box;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.query.RegionQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** villa query: zero-shot, which region of an image matches a text best. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Scores each region of an image against a text with a trained model and prints the ranking.",
                "Regions: a grid (3x3 by default, the DocMNIST cells) or the boxes given with --box."})
public final class QueryCommand implements Callable<Integer> {

    @Option(names = "--checkpoint", required = true, description = "a checkpoint directory (ckpt-... written by villa train)")
    Path checkpoint;

    @Option(names = "--image", required = true, description = "a PNG or JPEG image")
    File image;

    @Option(names = "--text", required = true, description = "the query text, e.g. \"the color is red\"")
    String text;

    @Option(names = "--grid", defaultValue = "3", description = "an N x N grid of regions when no --box is given (default ${DEFAULT-VALUE})")
    int grid;

    @Option(names = "--box", description = "a region as x,y,width,height in pixels; repeat for several")
    List<String> boxes = new ArrayList<>();

    @Option(names = "--device", description = "auto (default), cpu, gpu or gpu:N")
    String device;

    @Override
    public Integer call() throws Exception {
        BufferedImage img = ImageIO.read(image);
        if (img == null) {
            System.err.println("villa query: " + image + " is not a readable PNG or JPEG image");
            return 2;
        }
        List<Box> regions = boxes.isEmpty() ? RegionQuery.grid(img.getWidth(), img.getHeight(), grid) : parseBoxes();
        try (ContrastiveModel model = ContrastiveModel.load(checkpoint, device, 0)) {
            List<RegionQuery.Scored> ranked = RegionQuery.rank(model, img, regions, text);
            System.out.printf(Locale.ROOT, "%-5s %-6s %-22s %s%n", "rank", "region", "box (x,y,w,h)", "cosine");
            int rank = 1;
            for (RegionQuery.Scored s : ranked) {
                Box b = s.box();
                System.out.printf(Locale.ROOT, "%-5d %-6d %-22s %.4f%n", rank++, s.index(),
                        b.getX() + "," + b.getY() + "," + b.getWidth() + "," + b.getHeight(), s.score());
            }
        }
        return 0;
    }

    private List<Box> parseBoxes() {
        List<Box> out = new ArrayList<>();
        for (String spec : boxes) {
            String[] p = spec.split(",");
            if (p.length != 4) {
                throw new IllegalArgumentException("--box wants x,y,width,height, got " + spec);
            }
            out.add(new Box(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()),
                    Integer.parseInt(p[2].trim()), Integer.parseInt(p[3].trim())));
        }
        return out;
    }
}
