package io.villa.producers.docmnist;

/**
 * What the reference generator's rules give in expectation, computed exactly from the rules rather than measured.
 *
 * <p>Each drawn region has no shape with probability 1/3 (2 attributes) and a shape with probability 2/3 (4). An image
 * keeps drawing until 9 regions or until a region would exceed the target, which is discarded. So the kept regions
 * are not a plain sample of drawn ones: near the target a region without a shape still fits where one with a shape
 * does not, and the share of kept regions with a shape is below 2/3. A walk over the states (pairs so far, regions so
 * far) gives the exact expected regions, shaped regions and complexity per image. Digit and colour do not affect
 * whether a region is kept, so each digit is its pool share of the regions and each colour 1/5; the shape is
 * circle or rectangle, 1/2 each, and each size 1/3 of the shaped regions.
 *
 * @param target        the target complexity
 * @param complexity    expected region-attribute pairs per image
 * @param regions       expected regions per image
 * @param shapedRegions expected regions with a shape per image
 * @param digitShares   share of each digit 0..9 in the split's pool (1/10 each for a perfectly balanced pool)
 */
public record DocMnistExpectation(int target, double complexity, double regions, double shapedRegions, double[] digitShares) {

    private static final int CELLS = DocMnistRegion.GRID * DocMnistRegion.GRID;
    private static final double NO_SHAPE = 1.0 / 3;

    public DocMnistExpectation {
        digitShares = digitShares.clone();
    }

    @Override
    public double[] digitShares() {
        return digitShares.clone();
    }

    public static DocMnistExpectation of(int target, double[] digitShares) {
        // reach[c][n]: probability that an image reaches c pairs with n regions and keeps drawing
        double[][] reach = new double[target + 1][CELLS + 1];
        reach[0][0] = 1;
        double complexity = 0;
        double regions = 0;
        for (int n = 0; n <= CELLS; n++) {
            for (int c = 0; c <= target; c++) {
                double p = reach[c][n];
                if (p == 0) {
                    continue;
                }
                double stop = n == CELLS ? p : 0; // nine regions: the image is full
                if (n < CELLS) {
                    stop += draw(reach, c, n, 2, p * NO_SHAPE, target);
                    stop += draw(reach, c, n, 4, p * (1 - NO_SHAPE), target);
                }
                complexity += stop * c;
                regions += stop * n;
            }
        }
        return new DocMnistExpectation(target, complexity, regions, (complexity - 2 * regions) / 2, digitShares);
    }

    /** Moves probability {@code p} to the state after a region of {@code pairs}; returns what stops instead. */
    private static double draw(double[][] reach, int c, int n, int pairs, double p, int target) {
        if (c + pairs > target) {
            return p;
        }
        reach[c + pairs][n + 1] += p;
        return 0;
    }

    /** Expected images in a split of {@code budget} pairs: the budget over the expected complexity. */
    public double images(long budget) {
        return budget / complexity;
    }

    /** Share of the regions that have a shape. */
    public double shapeShare() {
        return shapedRegions / regions;
    }

    /** Expected occurrences of an attribute word in {@code images} images. */
    public double count(String word, long images) {
        int index = DocMnistVocabulary.typeOf(word).words().indexOf(word);
        double perImage = switch (DocMnistVocabulary.typeOf(word)) {
            case DIGIT -> regions * digitShares[index];
            case COLOR -> regions / DocMnistVocabulary.COLORS.size();
            case SHAPE -> shapedRegions / DocMnistVocabulary.SHAPES.size();
            case SIZE -> shapedRegions / DocMnistVocabulary.SIZES.size();
        };
        return images * perImage;
    }
}
