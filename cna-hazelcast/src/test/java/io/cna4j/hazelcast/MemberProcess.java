package io.cna4j.hazelcast;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster member in a process of its own, on loopback: {@code main(port, join...)} starts it and prints
 * {@code READY}; {@link #start} launches one from a test with this JVM's class path and waits for that line.
 */
final class MemberProcess implements AutoCloseable {
    private final Process process;
    final int port;

    private MemberProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static void main(String[] args) throws InterruptedException {
        int port = Integer.parseInt(args[0]);
        List<String> join = Arrays.asList(args).subList(1, args.length);
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(ClusterConfigs.member("127.0.0.1", port, join));
        System.out.println("READY " + hz.getCluster().getLocalMember().getAddress());
        System.out.flush();
        Thread.currentThread().join();   // until killed
    }

    /** Starts a member on {@code port} joining {@code join}; its log goes to {@code log}. Waits up to 90 s. */
    static MemberProcess start(int port, List<String> join, Path log) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-cp", System.getProperty("java.class.path"), MemberProcess.class.getName(), Integer.toString(port)));
        cmd.addAll(join);
        Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
        MemberProcess member = new MemberProcess(p, port);
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY")) synchronized (member) { member.notifyAll(); member.ready = true; }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        synchronized (member) {
            while (!member.ready && p.isAlive() && System.nanoTime() < deadline) {
                try {
                    member.wait(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        if (!member.ready) {
            p.destroyForcibly();
            reader.interrupt();
            throw new IllegalStateException("member process on port " + port + " did not start; see " + log);
        }
        return member;
    }

    private boolean ready;

    /** Kills the process at once (SIGKILL), as a crash would. */
    void kill() {
        process.destroyForcibly();
    }

    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, TimeUnit.SECONDS);
    }
}
