package io.villa.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The demo's settings: the decomposition job's learning lag and the simulator's report header travel to the summary. */
class DemoSettingsTest {

    @Test
    void theLearningLagAndTheReportHeaderDefaultAsTheJobAndTheSimulatorDo() {
        DemoRun.Config settings =
                DemoRun.Config.builder().optFeed(DemoRun.Feed.HOSPITAL).build();
        assertThat(settings.maxLearningLag()).isEqualTo(1024);
        assertThat(settings.phiInReport()).isTrue();
        assertThat(settings.asMap()).containsEntry("maxLearningLag", "1024").containsEntry("phiInReport", "true");
    }

    @Test
    void bothAreRecordedInTheSummarySettings() {
        DemoRun.Config settings = DemoRun.Config.builder()
                .optFeed(DemoRun.Feed.HOSPITAL)
                .optMaxLearningLag(0)
                .optPhiInReport(false)
                .build();
        assertThat(settings.asMap()).containsEntry("maxLearningLag", "0").containsEntry("phiInReport", "false");
    }

    @Test
    void aNegativeLagIsRefusedNamingIt() {
        assertThatThrownBy(() -> DemoRun.Config.builder().optMaxLearningLag(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxLearningLag must be >= 0, not -1");
    }

    @Test
    void theModelSeedDefaultsToTheDataSeedAndCanBeSetApart() {
        assertThat(DemoRun.Config.builder().optSeed(42).build().modelSeedOrSeed())
                .isEqualTo(42);
        DemoRun.Config apart =
                DemoRun.Config.builder().optSeed(42).optModelSeed(7).build();
        assertThat(apart.modelSeedOrSeed()).isEqualTo(7);
        assertThat(apart.seed()).isEqualTo(42);
        assertThat(apart.asMap()).containsEntry("seed", "42").containsEntry("modelSeed", "7");
    }
}
