package io.cna4j.jlama.kernels;

import com.github.tjake.jlama.util.PhysicalCoreExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads that run cna4j's kernels: the caller plus {@code threads - 1} workers that, between jobs, spin for
 * {@value #SPIN_MICROS} microseconds before they park.
 *
 * <p>Why not jlama's pool. A forward pass makes some 6 parallel calls per layer (q/k/v, attention, o, gate/up, the
 * gated activation, down), so decoding one token of a 30-layer model makes about 180. On jlama's
 * {@code ForkJoinPool} each call submits from outside the pool and joins: a worker is woken, and then the caller,
 * through the kernel (some 50-100 microseconds on this project's virtual machine), which cost more than the work of a
 * 576 x 576 projection. Here the caller publishes the job with one volatile write and takes tasks itself, and workers
 * still spinning from the previous call start at once; the pool parks only after {@value #SPIN_MICROS} microseconds
 * without work, so an idle model costs no CPU.
 *
 * <p>Tasks are claimed one by one from a shared counter, so which thread runs a task varies from run to run; callers
 * make each task's result independent of that (cna4j's kernels compute every output the same way whichever thread
 * does). A call made while the pool runs another (a second model used from another thread, or a task that itself
 * calls {@link #run}) runs its tasks on the calling thread alone, in order: never a deadlock, the same results.
 *
 * {@snippet :
 * float[] out = new float[n];
 * KernelPool.shared().run(tasks, t -> computeColumns(out, t * 64, Math.min(n, t * 64 + 64)));
 * }
 */
public final class KernelPool {
    /** How long a worker spins for the next job before parking. */
    static final long SPIN_MICROS = 2_000;
    private static final long SPIN_NANOS = SPIN_MICROS * 1_000;

    private static volatile KernelPool shared;

    private final Worker[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile boolean stopped;
    /** The job being run, or null between jobs. */
    private volatile Job job;

    /** A pool of its own ({@link #shared()} is the one to use; tests make others and {@link #stop} them). */
    KernelPool(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        workers = new Worker[threads - 1];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(this, "cna4j-kernels-" + (i + 1));
            workers[i].start();
        }
    }

    /**
     * The JVM's pool, created at first use with as many threads (the caller's included) as jlama's worker pool
     * (so {@code JlamaOptions.threads(n)} sets both).
     */
    public static KernelPool shared() {
        KernelPool p = shared;
        if (p == null) {
            synchronized (KernelPool.class) {
                p = shared;
                if (p == null) shared = p = new KernelPool(PhysicalCoreExecutor.instance.get().getCoreCount());
            }
        }
        return p;
    }

    /** Threads that run a job, the caller's included. */
    public int threads() {
        return workers.length + 1;
    }

    /**
     * Runs {@code task.accept(t)} for every t in {@code [0, tasks)}, each exactly once, on this pool's threads and the
     * caller's, and returns when all are done. After a task throws, the tasks not yet started are skipped and the
     * first failure is rethrown here (an unchecked one as it is).
     */
    public void run(int tasks, IntConsumer task) {
        if (tasks <= 0) return;
        if (tasks == 1 || workers.length == 0 || stopped || !busy.compareAndSet(false, true)) {
            for (int t = 0; t < tasks; t++) task.accept(t);
            return;
        }
        try {
            Job j = new Job(tasks, task);
            job = j;
            for (Worker w : workers) {
                if (w.parked) LockSupport.unpark(w);
            }
            j.work();
            while (j.finished.get() < tasks) Thread.onSpinWait();
            job = null;
            Throwable failure = j.failure.get();
            if (failure instanceof RuntimeException e) throw e;
            if (failure instanceof Error e) throw e;
            if (failure != null) throw new IllegalStateException(failure);
        } finally {
            busy.set(false);
        }
    }

    /** The worker threads (not the callers'). */
    Thread[] workers() {
        return workers.clone();
    }

    /** Ends the worker threads once they finish what they run; later calls run on the caller alone. */
    void stop() {
        stopped = true;
        for (Worker w : workers) LockSupport.unpark(w);
    }

    /** One call's tasks, claimed from {@code next} by whichever thread comes. */
    private static final class Job {
        final int tasks;
        final IntConsumer task;
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Job(int tasks, IntConsumer task) {
            this.tasks = tasks;
            this.task = task;
        }

        void work() {
            int done = 0;
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                if (failure.get() == null) {
                    try {
                        task.accept(t);
                    } catch (Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                }
                done++;
            }
            if (done > 0) finished.addAndGet(done);
        }
    }

    private static final class Worker extends Thread {
        private final KernelPool pool;
        volatile boolean parked;

        Worker(KernelPool pool, String name) {
            super(name);
            this.pool = pool;
            setDaemon(true);
        }

        @Override
        public void run() {
            Job seen = null;
            long idleSince = System.nanoTime();
            while (!pool.stopped) {
                Job j = pool.job;
                if (j != null && j != seen) {
                    seen = j;
                    j.work();
                    idleSince = System.nanoTime();
                } else if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    seen = null;   // do not keep the last job's arrays reachable while parked
                    parked = true;
                    // re-read after announcing: a caller that published before seeing parked == true is seen here
                    if (pool.job == null && !pool.stopped) LockSupport.park(this);
                    parked = false;
                    idleSince = System.nanoTime();
                }
            }
        }
    }
}
