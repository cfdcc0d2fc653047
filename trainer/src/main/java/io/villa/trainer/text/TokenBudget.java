package io.villa.trainer.text;

import java.util.List;

/**
 * The most cells a batch's padded token tensor may have, checked before the tensor is built. Each text is
 * bounded by the tokens limit, but padding multiplies: one text of many one-word sentences next to one of a
 * single long sentence pads every text of the batch to many long sentences. Word embeddings of that tensor
 * (cells x token dimension floats) and their gradients are what would exhaust memory.
 */
public final class TokenBudget {

    /** Room for ragged texts: a batch may pad to this many times the tokens its texts may hold in all. */
    static final int PADDING_ROOM = 8;

    private final long maxCells;

    public TokenBudget(long maxCells) {
        if (maxCells < 1) {
            throw new IllegalArgumentException("maxCells must be >= 1");
        }
        this.maxCells = maxCells;
    }

    /** For batches of {@code batchSize} texts of at most {@code tokens} words each. */
    public static TokenBudget forBatch(int batchSize, int tokens) {
        return new TokenBudget((long) batchSize * tokens * PADDING_ROOM);
    }

    public long maxCells() {
        return maxCells;
    }

    public boolean fits(List<TokenShape> shapes) {
        return TokenShape.paddedCells(shapes) <= maxCells;
    }

    /** @throws BatchTooLargeException when the padded tensor would exceed the budget */
    public void check(List<TokenShape> shapes) {
        long cells = TokenShape.paddedCells(shapes);
        if (cells > maxCells) {
            throw new BatchTooLargeException("the batch's padded token tensor would have " + cells + " cells, over the budget of "
                    + maxCells);
        }
    }

    /** A batch whose texts together would pad beyond the budget (each may be within the limits alone). */
    public static final class BatchTooLargeException extends IllegalArgumentException {
        public BatchTooLargeException(String message) {
            super(message);
        }
    }
}
