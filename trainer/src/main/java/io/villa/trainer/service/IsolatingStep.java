package io.villa.trainer.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import io.villa.trainer.data.Example;
import io.villa.trainer.model.ContrastiveModel;
import io.villa.trainer.text.TokenBudget;
import io.villa.trainer.text.TokenShape;

/**
 * One training step that no single record can stop. The batch's padded token tensor is checked against the
 * {@link TokenBudget} before it is built; when that check or the step fails, each record is probed alone and
 * those that fail alone are poisoned out; if none does and the batch was too large only together, the record
 * whose text pads it most goes; then the rest trains. A failure no record explains is retried once, then thrown:
 * it is not a record's fault, and the trainer must say so rather than drop good data.
 *
 * @param <T> what the caller tracks per example (its Kafka coordinates)
 */
final class IsolatingStep<T> {

    private final ContrastiveModel model;
    private final TokenBudget budget;
    private final Function<T, Example> example;

    /** A record taken out of the batch, with why. */
    record Poisoned<T>(T item, RuntimeException reason) {
    }

    /**
     * @param trained  what the step learned from (empty when fewer than two were left: no contrastive step)
     * @param loss     the step's loss, NaN when no step was taken
     * @param leftOver the one record left when all others were poisoned, to wait for the next batch
     */
    record Result<T>(List<T> trained, float loss, List<Poisoned<T>> poisoned, List<T> leftOver) {
    }

    IsolatingStep(ContrastiveModel model, TokenBudget budget, Function<T, Example> example) {
        this.model = model;
        this.budget = budget;
        this.example = example;
    }

    Result<T> train(List<T> items) {
        List<T> batch = new ArrayList<>(items);
        List<Poisoned<T>> poisoned = new ArrayList<>();
        boolean retried = false;
        while (batch.size() >= 2) {
            List<Example> examples = batch.stream().map(example).toList();
            try {
                budget.check(shapes(examples));
                float loss = model.trainStep(examples);
                return new Result<>(batch, loss, poisoned, List.of());
            } catch (RuntimeException failure) {
                List<Poisoned<T>> alone = failingAlone(batch);
                if (!alone.isEmpty()) {
                    poisoned.addAll(alone);
                    batch = without(batch, alone.stream().map(Poisoned::item).toList());
                } else if (failure instanceof TokenBudget.BatchTooLargeException) {
                    int worst = inflatesMost(shapes(examples));
                    TokenShape shape = shapes(List.of(examples.get(worst))).get(0);
                    poisoned.add(new Poisoned<>(batch.get(worst), new TokenBudget.BatchTooLargeException(failure.getMessage()
                            + "; each record fits alone, and this one's text (" + shape.sentences() + " sentences, the longest "
                            + shape.longest() + " words) pads the batch most")));
                    batch = without(batch, List.of(batch.get(worst)));
                } else if (!retried) {
                    retried = true; // nothing in the batch fails alone: perhaps transient, once more
                } else {
                    throw new IllegalStateException("a training step failed twice and no record of its batch fails alone: "
                            + failure, failure);
                }
            }
        }
        return new Result<>(List.of(), Float.NaN, poisoned, batch);
    }

    private List<Poisoned<T>> failingAlone(List<T> batch) {
        List<Poisoned<T>> out = new ArrayList<>();
        for (T item : batch) {
            Example e = example.apply(item);
            try {
                budget.check(shapes(List.of(e, e)));
                model.probe(e);
            } catch (RuntimeException failure) {
                out.add(new Poisoned<>(item, failure));
            }
        }
        return out;
    }

    /** The index whose removal shrinks the padded token tensor most. */
    private static int inflatesMost(List<TokenShape> shapes) {
        int best = 0;
        long bestCells = Long.MAX_VALUE;
        for (int i = 0; i < shapes.size(); i++) {
            List<TokenShape> rest = new ArrayList<>(shapes);
            rest.remove(i);
            long cells = TokenShape.paddedCells(rest);
            if (cells < bestCells) {
                bestCells = cells;
                best = i;
            }
        }
        return best;
    }

    private List<TokenShape> shapes(List<Example> examples) {
        return examples.stream().map(e -> TokenShape.of(model.tokenizer().encode(e.text()))).toList();
    }

    private static <T> List<T> without(List<T> batch, List<T> out) {
        Set<T> gone = Collections.newSetFromMap(new IdentityHashMap<>());
        gone.addAll(out);
        return new ArrayList<>(batch.stream().filter(t -> !gone.contains(t)).toList());
    }
}
