package io.cna4j.hazelcast;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import java.util.List;
import java.util.Objects;

/**
 * Hazelcast configurations for cna4j clusters: cluster name {@value #CLUSTER_NAME}, members that bind to one
 * address only (not all interfaces), join by TCP/IP to the addresses given (multicast and auto-detection off),
 * and no phone-home to Hazelcast. Nothing opens a port until the caller starts an instance with one of these.
 *
 * {@snippet :
 * HazelcastInstance first = Hazelcast.newHazelcastInstance(ClusterConfigs.member("127.0.0.1", 5701, List.of()));
 * HazelcastInstance second = Hazelcast.newHazelcastInstance(
 *         ClusterConfigs.member("127.0.0.1", 5702, List.of("127.0.0.1:5701")));
 * HazelcastInstance client = HazelcastClient.newHazelcastClient(ClusterConfigs.client(List.of("127.0.0.1:5701")));
 * }
 */
public final class ClusterConfigs {
    /** The cluster name every cna4j member and client uses. */
    public static final String CLUSTER_NAME = "cna4j";
    /** Hazelcast's default member port, where {@code --port} is not given. */
    public static final int DEFAULT_PORT = 5701;

    private ClusterConfigs() {}

    /**
     * A member bound to {@code bindAddress} on {@code port} (the next free port above it when taken), joining the
     * members at {@code join} ({@code host:port}; empty for the first member).
     */
    public static Config member(String bindAddress, int port, List<String> join) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
        Config config = new Config();
        config.setClusterName(CLUSTER_NAME);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.setProperty("hazelcast.socket.bind.any", "false");
        config.setProperty("hazelcast.local.localAddress", bindAddress);
        config.getNetworkConfig().setPort(port).setPortAutoIncrement(true);
        config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(bindAddress);
        JoinConfig joinConfig = config.getNetworkConfig().getJoin();
        joinConfig.getMulticastConfig().setEnabled(false);
        joinConfig.getAutoDetectionConfig().setEnabled(false);
        joinConfig.getTcpIpConfig().setEnabled(true).addMember(bindAddress + ":" + port);
        for (String member : join) joinConfig.getTcpIpConfig().addMember(member);
        return config;
    }

    /** A client of the cna4j cluster reachable at {@code addresses} ({@code host:port}); gives up after 30 s. */
    public static ClientConfig client(List<String> addresses) {
        if (addresses.isEmpty()) throw new IllegalArgumentException("a client needs at least one member address");
        ClientConfig config = new ClientConfig();
        config.setClusterName(CLUSTER_NAME);
        config.setProperty("hazelcast.phone.home.enabled", "false");
        config.getNetworkConfig().setAddresses(List.copyOf(addresses));
        config.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(30_000);
        return config;
    }
}
