package io.villa.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.villa.kafka.KafkaOptions;
import io.villa.trainer.config.LostOffsetPolicy;
import io.villa.trainer.config.PassPlan;
import io.villa.trainer.config.RecordLimits;
import io.villa.trainer.config.TrainerConfig;
import io.villa.trainer.config.TrainingMode;
import io.villa.trainer.device.DeviceChoice;
import io.villa.trainer.device.Devices;
import io.villa.trainer.service.ServiceConfig;
import io.villa.trainer.service.TrainerRun;
import io.villa.trainer.service.TrainingService;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** villa train: the long-running contrastive trainer on the region-attribute topic. */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Trains the contrastive vision-language model from the region-attribute topic (read committed),",
            "checkpointing model, optimizer state and Kafka offsets; resumes from the newest checkpoint.",
            "Ctrl-C ends with a checkpoint. Validation records are evaluated, never trained on."
        })
public final class TrainCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(TrainCommand.class);

    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--mode",
            defaultValue = "villa",
            description = "villa (regions + whole images) or clip (whole images only); default ${DEFAULT-VALUE}")
    TrainingMode mode;

    @Option(
            names = "--checkpoint-dir",
            defaultValue = "runs/trainer",
            description = "where checkpoints go (default ${DEFAULT-VALUE})")
    Path checkpointDir;

    @Option(
            names = "--checkpoint-every",
            defaultValue = "200",
            description = "steps between checkpoints (default ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(
            names = "--keep",
            defaultValue = "3",
            description = "checkpoints kept besides the best (default ${DEFAULT-VALUE})")
    int keep;

    @Option(
            names = "--eval-every",
            defaultValue = "500",
            description = "steps between validation evaluations; 0 = at the end only (default ${DEFAULT-VALUE})")
    int evalEvery;

    @Option(
            names = "--max-steps",
            defaultValue = "0",
            description = "stop after this many steps in total; 0 = no limit")
    long maxSteps;

    @Option(
            names = "--idle-stop",
            defaultValue = "0",
            description = "stop after this many seconds without new records; 0 = run until stopped")
    long idleStopSeconds;

    @Option(
            names = "--max-held-out",
            defaultValue = "20000",
            description = "validation (and test) regions kept for evaluation (default ${DEFAULT-VALUE})")
    int maxHeldOut;

    @Option(names = "--batch-size", defaultValue = "64", description = "examples per step (default ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.002", description = "Adam learning rate (default ${DEFAULT-VALUE})")
    float learningRate;

    @Option(
            names = "--temperature",
            defaultValue = "0.07",
            description = "InfoNCE temperature at start (default ${DEFAULT-VALUE})")
    float temperature;

    @Option(names = "--fixed-temperature", description = "do not learn the temperature")
    boolean fixedTemperature;

    @Option(
            names = "--image-size",
            defaultValue = "84",
            description =
                    "side of the whole image the image tower takes; images of another size are resized to it, their boxes"
                            + " scaled with them (default ${DEFAULT-VALUE}, DocMNIST's native size)")
    int imageSize;

    @Option(
            names = "--passes",
            defaultValue = "1",
            description =
                    "passes over the topic: 1 streams (reads once, as records come); more replays a bounded topic: pass 1"
                            + " ends after --idle-stop seconds without a new record, then the same records are trained again, with a"
                            + " validation evaluation and early stopping at the end of each pass (default ${DEFAULT-VALUE})")
    int passes;

    @Option(
            names = "--patience",
            defaultValue = "5",
            description = "with --passes: stop after this many passes in a row without a better validation text->region"
                    + " R-precision; the best pass's checkpoint is kept and evaluated (default ${DEFAULT-VALUE})")
    int patience;

    @Option(
            names = "--max-pair-wait",
            defaultValue = "1000",
            description =
                    "records of its partition a region record waits at most for its pair's whole-image record (which"
                            + " the decomposition job writes last); then it is dead-lettered (default ${DEFAULT-VALUE})")
    long maxPairWait;

    @Option(
            names = "--embedding-dim",
            defaultValue = "64",
            description = "joint embedding size (default ${DEFAULT-VALUE})")
    int embeddingDim;

    @Option(names = "--seed", defaultValue = "42", description = "random seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(
            names = "--device",
            converter = DeviceName.class,
            description =
                    "auto (default: the first GPU when DJL finds one, else the CPU; the first log line says which and why),"
                            + " cpu, gpu or gpu:N (fails at once when DJL finds no such GPU, never falling back to the CPU)")
    String device;

    @Option(names = "--threads", defaultValue = "0", description = "PyTorch CPU threads; 0 = one per core")
    int threads;

    @Option(
            names = "--image-tower",
            description = "a TorchScript image backbone (.pt) instead of the built-in CNN; see trainer/README.md")
    Path imageTower;

    @Option(
            names = "--text-tower",
            description = "a TorchScript text backbone (.pt) instead of the built-in one; see trainer/README.md")
    Path textTower;

    @Option(
            names = "--model-id",
            defaultValue = "villa-vlm",
            description = "the model's name in trainer events (default ${DEFAULT-VALUE})")
    String modelId;

    @Option(
            names = "--max-image-bytes",
            defaultValue = "16777216",
            description =
                    "largest encoded region image, in bytes; larger records are dead-lettered (default ${DEFAULT-VALUE})")
    int maxImageBytes;

    @Option(
            names = "--max-image-side",
            defaultValue = "4096",
            description =
                    "largest width or height of a region image, read from its header before decoding; a tiny file can declare"
                            + " a huge image (default ${DEFAULT-VALUE})")
    int maxImageSide;

    @Option(
            names = "--max-text-chars",
            defaultValue = "20000",
            description = "longest region text, in characters (default ${DEFAULT-VALUE})")
    int maxTextChars;

    @Option(
            names = "--max-tokens",
            defaultValue = "512",
            description =
                    "most words in a region text; longer texts are dead-lettered, not truncated, and the bound keeps a batch's"
                            + " token tensor bounded (default ${DEFAULT-VALUE})")
    int maxTokens;

    @Option(
            names = "--max-attributes",
            defaultValue = "256",
            description = "most attributes of a region (default ${DEFAULT-VALUE})")
    int maxAttributes;

    @Option(
            names = "--on-lost-offsets",
            defaultValue = "fail",
            description =
                    "when offsets to train from fell out of the topic's retention: fail (exit non-zero, naming the partition and"
                            + " offsets) or skip (go on from the earliest available offset, publishing the number of records lost);"
                            + " default ${DEFAULT-VALUE}")
    LostOffsetPolicy onLostOffsets;

    @Option(
            names = "--partition-refresh",
            defaultValue = "10",
            description =
                    "seconds between looks for partitions added to the topic, read from their beginning (default ${DEFAULT-VALUE})")
    long partitionRefreshSeconds;

    @Option(names = "--no-progress", description = "log a status line every 10 s instead of drawing a progress bar")
    boolean noProgress;

    @Override
    public Integer call() throws Exception {
        if (passes > 1 && idleStopSeconds <= 0) {
            System.err.println(
                    "villa train: --passes " + passes + " needs --idle-stop: pass 1 ends when the topic has been idle"
                            + " that long, which fixes the records every pass trains on");
            return 2;
        }
        // before any Kafka client: a GPU asked for that DJL does not find ends the command here, in one line
        DeviceChoice choice = Devices.choose(device, threads);
        LOG.info("device {}", choice.describe());
        TrainerConfig config = TrainerConfig.builder()
                .optMode(mode)
                .optImageSize(imageSize)
                .optEmbeddingDim(embeddingDim)
                .optTokenDim(embeddingDim)
                .optBatchSize(batchSize)
                .optLearningRate(learningRate)
                .optTemperature(temperature)
                .optLearnableTemperature(!fixedTemperature)
                .optSeed(seed)
                .optDevice(choice.asOption())
                .optImageTowerScript(imageTower)
                .optTextTowerScript(textTower)
                .build();
        RecordLimits limits = RecordLimits.builder()
                .optImageBytes(maxImageBytes)
                .optImageSide(maxImageSide)
                .optTextChars(maxTextChars)
                .optTokens(maxTokens)
                .optAttributes(maxAttributes)
                .build();
        ServiceConfig service = ServiceConfig.builder(kafka.topics().regionAttributePairs())
                .optModelId(modelId)
                .optCheckpointing(checkpointEvery, keep)
                .optEvalEvery(evalEvery)
                .optStopAfter(maxSteps, idleStopSeconds * 1000)
                .optMaxHeldOut(maxHeldOut)
                .optCpuThreads(threads)
                .optProgress(!noProgress)
                .optRecordLimits(limits)
                .optOnLostOffsets(onLostOffsets)
                .optPartitionRefreshMillis(partitionRefreshSeconds * 1000)
                .optPasses(new PassPlan(passes, patience))
                .optMaxPairWait(maxPairWait)
                .build();
        TrainingService.Outcome outcome =
                TrainerRun.run(kafka.settings(), kafka.topics(), config, service, checkpointDir);
        System.out.printf(
                "trained to step %d (%d samples); last checkpoint %s%n",
                outcome.step(), outcome.samplesSeen(), outcome.lastCheckpoint());
        if (passes > 1) {
            System.out.printf(
                    "%d of %d passes%s; evaluated with the model of pass %d%n",
                    outcome.passes(), passes, outcome.stoppedEarly() ? " (early stopping)" : "", outcome.bestPass());
        }
        outcome.validation().ifPresent(r -> System.out.println("validation:\n" + r.table()));
        outcome.test().ifPresent(r -> System.out.println("test:\n" + r.table()));
        return 0;
    }
}
