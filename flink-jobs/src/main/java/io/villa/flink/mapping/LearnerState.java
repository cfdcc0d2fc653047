package io.villa.flink.mapping;

import static io.villa.flink.mapping.StateStreams.writeBytes;
import static io.villa.flink.mapping.StateStreams.readBytes;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything that defines the learner, as bytes for Flink state: parameters and optimizer moments, the model
 * version, the TRAIN images seen, the learning schedule (owed rounds) and the replay buffer (region pixels as
 * deflated 8-bit RGB and attribute indexes, no report text). Restoring it continues learning exactly where it was.
 * The first int is the format; a checkpoint of another format is refused with a clear message.
 */
final class LearnerState {

    private static final int FORMAT = 3;

    ModelState model;
    long version;
    float lastLoss = Float.NaN;
    long trainSeen;
    long learnedFrom;
    boolean warmUpOwed;
    boolean warm;
    int sinceLastRound;
    List<LearningSchedule.Round> owed = new ArrayList<>();
    long replayFirst;
    List<ReplayEntry> replay = new ArrayList<>();

    byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(FORMAT);
            writeBytes(out, model.parameters());
            writeBytes(out, model.optimizer());
            out.writeLong(version);
            out.writeFloat(lastLoss);
            out.writeLong(trainSeen);
            out.writeLong(learnedFrom);
            out.writeBoolean(warmUpOwed);
            out.writeBoolean(warm);
            out.writeInt(sinceLastRound);
            out.writeInt(owed.size());
            for (LearningSchedule.Round r : owed) {
                out.writeLong(r.windowEnd);
                out.writeInt(r.stepsLeft);
                out.writeBoolean(r.warmUp);
            }
            out.writeLong(replayFirst);
            out.writeInt(replay.size());
            for (ReplayEntry e : replay) {
                out.writeInt(e.regions());
                out.writeInt(e.regionBytes());
                writeBytes(out, e.deflated());
                out.writeInt(e.attributes().length);
                for (int a : e.attributes()) {
                    out.writeInt(a);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static LearnerState fromBytes(byte[] data) {
        LearnerState s = new LearnerState();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(data))) {
            int format = in.readInt();
            if (format != FORMAT) {
                throw new IllegalStateException("mapping learner state of format " + format + " cannot be restored by this version "
                        + "(format " + FORMAT + "); start the job afresh (--resume none)");
            }
            s.model = new ModelState(readBytes(in), readBytes(in));
            s.version = in.readLong();
            s.lastLoss = in.readFloat();
            s.trainSeen = in.readLong();
            s.learnedFrom = in.readLong();
            s.warmUpOwed = in.readBoolean();
            s.warm = in.readBoolean();
            s.sinceLastRound = in.readInt();
            int rounds = in.readInt();
            for (int i = 0; i < rounds; i++) {
                s.owed.add(new LearningSchedule.Round(in.readLong(), in.readInt(), in.readBoolean()));
            }
            s.replayFirst = in.readLong();
            int images = in.readInt();
            for (int i = 0; i < images; i++) {
                int regions = in.readInt();
                int regionBytes = in.readInt();
                byte[] deflated = readBytes(in);
                int[] attributes = new int[in.readInt()];
                for (int a = 0; a < attributes.length; a++) {
                    attributes[a] = in.readInt();
                }
                s.replay.add(new ReplayEntry(regions, regionBytes, deflated, attributes));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("mapping learner state does not read: " + e.getMessage(), e);
        }
        return s;
    }
}
