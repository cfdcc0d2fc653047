package io.villa.flink.wiring;

import java.util.ArrayList;
import java.util.List;

import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Runs a ProcessFunction on single elements outside Flink, collecting main and side outputs. */
final class Contexts {

    private Contexts() {
    }

    static final class Run<O> {
        final List<O> main = new ArrayList<>();
        final List<Object> side = new ArrayList<>();
    }

    static <I, O> Run<O> process(ProcessFunction<I, O> fn, I element) throws Exception {
        Run<O> run = new Run<>();
        ProcessFunction<I, O>.Context ctx = fn.new Context() {
            @Override
            public Long timestamp() {
                return null;
            }

            @Override
            public TimerService timerService() {
                throw new UnsupportedOperationException("no timers in this test");
            }

            @Override
            public <X> void output(OutputTag<X> tag, X value) {
                run.side.add(value);
            }
        };
        fn.processElement(element, ctx, new Collector<>() {
            @Override
            public void collect(O record) {
                run.main.add(record);
            }

            @Override
            public void close() {
            }
        });
        return run;
    }
}
