package io.cna4j.jlama.kernels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KernelPoolTest {
    private static final Duration LIMIT = Duration.ofSeconds(30);   // a lost wake-up hangs: fail instead
    private KernelPool pool;

    @BeforeEach
    void create() {
        pool = new KernelPool(3);
    }

    @AfterEach
    void stop() {
        pool.stop();
    }

    @Test
    void runsEveryTaskExactlyOnceWhetherTheWorkersSpinOrPark() {
        assertTimeoutPreemptively(LIMIT, () -> {
            for (int round = 0; round < 300; round++) {
                int tasks = 1 + round % 97;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                pool.run(tasks, runs::incrementAndGet);
                for (int t = 0; t < tasks; t++) assertThat(runs.get(t)).as("round %d task %d", round, t).isEqualTo(1);
                // every tenth round waits past the spin window, so the next run must wake parked workers
                if (round % 10 == 9) Thread.sleep(KernelPool.SPIN_MICROS / 1000 + 3);
            }
        });
    }

    @Test
    void spreadsTasksOverTheWorkersAndTheCaller() {
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        Thread caller = assertTimeoutPreemptively(LIMIT, () -> {
            pool.run(30, t -> {
                ran.add(Thread.currentThread());
                LockSupport.parkNanos(2_000_000);   // long enough for every thread to take some
            });
            return Thread.currentThread();
        });
        assertThat(ran).contains(caller).hasSizeGreaterThan(1);
        assertThat(pool.threads()).isEqualTo(3);
    }

    @Test
    void rethrowsTheFirstFailureAndStaysUsable() {
        IllegalStateException boom = new IllegalStateException("task 5");
        assertThatThrownBy(() -> pool.run(40, t -> {
            if (t == 5) throw boom;
        })).isSameAs(boom);
        AtomicInteger after = new AtomicInteger();
        assertTimeoutPreemptively(LIMIT, () -> pool.run(40, t -> after.incrementAndGet()));
        assertThat(after).hasValue(40);
    }

    @Test
    void aTaskThatCallsThePoolRunsThatCallOnItsOwnThread() {
        AtomicInteger inner = new AtomicInteger();
        assertTimeoutPreemptively(LIMIT, () -> pool.run(8, t -> pool.run(10, u -> inner.incrementAndGet())));
        assertThat(inner).hasValue(80);
    }

    @Test
    void callersOnSeveralThreadsAllComplete() throws Exception {
        int callers = 4, rounds = 200, tasks = 33;
        AtomicInteger total = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(callers);
        for (int i = 0; i < callers; i++) {
            Thread.ofPlatform().daemon().start(() -> {
                for (int r = 0; r < rounds; r++) pool.run(tasks, t -> total.incrementAndGet());
                done.countDown();
            });
        }
        assertThat(done.await(LIMIT.toSeconds(), TimeUnit.SECONDS)).as("every caller finished").isTrue();
        assertThat(total).hasValue(callers * rounds * tasks);
    }

    @Test
    void idleWorkersPark() throws Exception {
        pool.run(10, t -> {});
        Thread.sleep(KernelPool.SPIN_MICROS / 1000 + 200);
        for (Thread w : pool.workers()) assertThat(w.getState()).as(w.getName()).isEqualTo(Thread.State.WAITING);
    }

    @Test
    void aPoolOfOneThreadRunsOnTheCaller() {
        KernelPool one = new KernelPool(1);
        Set<Thread> ran = ConcurrentHashMap.newKeySet();
        one.run(20, t -> ran.add(Thread.currentThread()));
        assertThat(ran).containsExactly(Thread.currentThread());
        assertThatThrownBy(() -> new KernelPool(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
