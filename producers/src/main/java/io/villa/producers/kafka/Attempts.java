package io.villa.producers.kafka;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import io.villa.producers.docmnist.DocMnistGenerator;
import io.villa.producers.docmnist.DocMnistSample;
import io.villa.producers.ingest.IngestConverter;
import io.villa.producers.ingest.IngestFailure;
import io.villa.producers.ingest.IngestItem;
import io.villa.records.ImageReportPair;
import io.villa.records.Split;

/** Turns the producers' inputs into a lazy sequence of {@link Attempt}s. */
public final class Attempts {

    private Attempts() {
    }

    /** The given DocMNIST splits one after the other (in continuous mode the first split never ends). */
    public static Iterator<Attempt> docMnist(DocMnistGenerator generator, List<Split> splits) {
        return new Iterator<>() {
            private int split = -1;
            private Iterator<ImageReportPair> current = List.<ImageReportPair>of().iterator();

            @Override
            public boolean hasNext() {
                while (!current.hasNext() && split + 1 < splits.size()) {
                    current = generator.records(splits.get(++split));
                }
                return current.hasNext();
            }

            @Override
            public Attempt next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return Attempt.of(current.next());
            }
        };
    }

    /** How many images the splits hold within their budgets (cheap: no rendering); -1 in continuous mode. */
    public static long docMnistCount(DocMnistGenerator generator, List<Split> splits) {
        if (generator.config().continuous()) {
            return -1;
        }
        long count = 0;
        for (Split split : splits) {
            for (Iterator<DocMnistSample> it = generator.samples(split); it.hasNext(); it.next()) {
                count++;
            }
        }
        return count;
    }

    /** Each ingest item read and converted when its turn comes, so memory stays flat however large the feed. */
    public static Iterator<Attempt> ingest(List<IngestItem> items, IngestConverter converter) {
        Iterator<IngestItem> it = items.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Attempt next() {
                IngestItem item = it.next();
                try {
                    return Attempt.of(converter.convert(item));
                } catch (IngestFailure failure) {
                    return Attempt.failed(item.input(), failure);
                }
            }
        };
    }
}
