package io.cna4j.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.infra.Blackhole;

class InterleavedTest {
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @Test
    void everyOrderOfThreeVariantsComesOnceInSixRounds() {
        List<Integer> log = new ArrayList<>();
        IntSupplier[] variants = {() -> record(log, 0), () -> record(log, 1), () -> record(log, 2)};
        Interleaved rounds = new Interleaved();
        Set<List<Integer>> orders = new HashSet<>();
        for (int r = 0; r < 6; r++) {
            log.clear();
            rounds.next(BLACKHOLE, variants);
            orders.add(List.copyOf(log));
        }
        assertThat(orders).hasSize(6);
    }

    @Test
    void timesComeBackInTheOrderTheVariantsWereGiven() {
        IntSupplier fast = () -> 1;
        IntSupplier slow = () -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 2;
        };
        Interleaved rounds = new Interleaved();
        for (int r = 0; r < 4; r++) { // the slow one runs first in some rounds and second in others
            long[] nanos = rounds.next(BLACKHOLE, fast, slow);
            assertThat(nanos[1]).isGreaterThanOrEqualTo(20_000_000L).isGreaterThan(nanos[0]);
        }
    }

    private static int record(List<Integer> log, int variant) {
        log.add(variant);
        return variant;
    }
}
