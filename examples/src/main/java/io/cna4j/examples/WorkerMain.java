package io.cna4j.examples;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.cna4j.hazelcast.ClusterConfigs;
import io.cna4j.hazelcast.HazelcastDiscovery;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./cna4j worker}: starts a member of a cna4j cluster and serves discovery shards until stopped. The model
 * is opened on the first job (from the job's recipe, {@link io.cna4j.jlama.JlamaModelSource}) and kept for the
 * next ones. The member binds to {@code --bind} only (loopback by default), joins by TCP/IP, never by multicast,
 * and does not phone home ({@link ClusterConfigs}).
 *
 * {@snippet lang="shell" :
 * ./cna4j worker                                  # the first member, 127.0.0.1:5701
 * ./cna4j worker --join 127.0.0.1:5701            # a second one on this machine (port 5702)
 * ./cna4j worker --bind 10.0.0.6 --join 10.0.0.5:5701   # on another machine
 * }
 */
@Command(name = "cna-worker", mixinStandardHelpOptions = true, sortOptions = false, versionProvider = Version.Provider.class,
        description = "Starts a member of a cna4j cluster, which collects discovery shards until stopped (Ctrl-C).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:stopped", "1:the member could not start", "2:a usage error"})
public final class WorkerMain implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--join", paramLabel = "HOST:PORT", converter = ClusterAddress.Converter.class,
            description = "A member of the cluster to join (repeatable). Without it this is the first member.")
    List<ClusterAddress> join = List.of();

    @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
            description = "The local address to listen on; other machines must reach it (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--port", defaultValue = "5701", paramLabel = "PORT",
            description = "The port to listen on, or the next free one above it (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--verbose", description = "On an error, print the stack trace too.")
    boolean verbose;

    /** Runs cna-worker; returns only when the member is stopped. */
    public static void main(String[] args) {
        System.exit(CliErrors.commandLine(new WorkerMain()).execute(args));
    }

    @Override
    public Integer call() throws InterruptedException {
        if (port < 1 || port > 65535) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port must be in [1, 65535], got " + port);
        }
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(
                ClusterConfigs.member(bind, port, join.stream().map(ClusterAddress::toString).toList()));
        CountDownLatch stopped = new CountDownLatch(1);
        hz.getLifecycleService().addLifecycleListener(e -> {
            if (e.getState() == com.hazelcast.core.LifecycleEvent.LifecycleState.SHUTDOWN) stopped.countDown();
        });
        var local = hz.getCluster().getLocalMember().getAddress();
        PrintWriter out = new PrintWriter(System.out, true);
        out.println("cna-worker: member " + local.getHost() + ":" + local.getPort() + " of cluster " + ClusterConfigs.CLUSTER_NAME
                + " (" + hz.getCluster().getMembers().size() + " members), executor " + HazelcastDiscovery.EXECUTOR
                + "; Ctrl-C stops it");
        stopped.await();
        return 0;
    }
}
