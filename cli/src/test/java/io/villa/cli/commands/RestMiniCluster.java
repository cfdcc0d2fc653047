package io.villa.cli.commands;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/** A Flink MiniCluster that serves its REST API on a free port: a cluster `villa decompose --flink-rest` can talk to. */
final class RestMiniCluster {

    private RestMiniCluster() {
    }

    /** One TaskManager with two slots, REST on a free port. */
    static MiniClusterConfiguration configuration() {
        Configuration conf = new Configuration();
        conf.set(RestOptions.BIND_PORT, "0");
        return new MiniClusterConfiguration.Builder().setConfiguration(conf).setNumTaskManagers(1).setNumSlotsPerTaskManager(2).build();
    }
}
