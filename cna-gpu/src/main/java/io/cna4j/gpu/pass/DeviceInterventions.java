package io.cna4j.gpu.pass;

import io.cna4j.gpu.vulkan.DeviceBuffer;
import io.cna4j.gpu.vulkan.VulkanDevice;
import io.cna4j.model.ActivationInterceptor;
import io.cna4j.model.AddAtHook;
import io.cna4j.model.HookPoint;
import io.cna4j.model.Intervention;
import io.cna4j.model.NeuronMultipliers;
import java.util.ArrayList;
import java.util.List;

/**
 * One call's {@link Intervention} as device work, per layer and hook, in the intervention's order:
 * {@link NeuronMultipliers} become index/factor arrays (one pair of buffers for all layers, uploaded once per
 * call) applied by the {@code scale_columns} shader; {@link AddAtHook} becomes a vector added by {@code add_rows};
 * any {@link ActivationInterceptor} runs on the host, on a copy of that hook's rows (the slow path).
 *
 * {@snippet :
 * try (DeviceInterventions ops = DeviceInterventions.of(circuit.steer(0f), shape, device)) {
 *     ops.at(HookPoint.mlpPost(3));   // [Scale[...]] where the circuit has neurons in layer 3
 * }
 * }
 */
public final class DeviceInterventions implements AutoCloseable {
    /** One thing done at a hook. */
    public sealed interface Op permits Scale, Add, Host, Record {}

    /** Multiply {@code count} columns (from {@code offset} of the arrays) by their factors. */
    public record Scale(DeviceBuffer columns, DeviceBuffer factors, int offset, int count) implements Op {}

    /** Add {@code scale * vector} to every row. */
    public record Add(DeviceBuffer vector, float scale) implements Op {}

    /** Call the intervention on a host copy of the rows. */
    public record Host(Intervention part) implements Op {}

    /**
     * Copy the last prompt token's row into {@code slots} at {@code offset} (no host round trip), for a reader that
     * only reads that row ({@link ActivationInterceptor#readsLastPromptTokenOnly}); it sees the row after the pass.
     */
    public record Record(int id, ActivationInterceptor reader, HookPoint hook, int width, DeviceBuffer slots, long offset)
            implements Op {}

    private final List<List<Op>> post;
    private final List<List<Op>> out;
    private final List<DeviceBuffer> owned;
    private final boolean[] filled;

    private DeviceInterventions(List<List<Op>> post, List<List<Op>> out, List<DeviceBuffer> owned, int records) {
        this.post = post;
        this.out = out;
        this.owned = owned;
        this.filled = new boolean[records];
    }

    /** Compiles {@code intervention} (already checked to fit the model) for a model of {@code layers} layers. */
    public static DeviceInterventions of(Intervention intervention, int layers, int neurons, int hidden, VulkanDevice device) {
        List<List<Op>> post = new ArrayList<>(), out = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            post.add(new ArrayList<>());
            out.add(new ArrayList<>());
        }
        List<DeviceBuffer> owned = new ArrayList<>();
        int records = 0;
        List<Intervention> parts = intervention instanceof Intervention.All all ? all.parts() : List.of(intervention);
        try {
            for (Intervention part : parts) {
                switch (part) {
                    case NeuronMultipliers m -> scale(m, layers, device, post, owned);
                    case AddAtHook a -> {
                        DeviceBuffer v = DeviceBuffer.host(device, 4L * a.width());
                        owned.add(v);
                        v.mapped().asFloatBuffer().put(a.vector());
                        int l = a.hook().layer();
                        (a.hook().kind() == HookPoint.Kind.MLP_POST ? post : out).get(l).add(new Add(v, a.scale()));
                    }
                    case ActivationInterceptor i when i.readsLastPromptTokenOnly() -> {
                        int n = 0;
                        for (int l = 0; l < layers; l++) {
                            if (i.actsAt(HookPoint.mlpPost(l))) n++;
                            if (i.actsAt(HookPoint.mlpOut(l))) n++;
                        }
                        if (n == 0) continue;
                        DeviceBuffer slots = DeviceBuffer.host(device, 4L * n * Math.max(neurons, hidden));
                        owned.add(slots);
                        long offset = 0;
                        for (int l = 0; l < layers; l++) {
                            for (HookPoint h : List.of(HookPoint.mlpPost(l), HookPoint.mlpOut(l))) {
                                if (!i.actsAt(h)) continue;
                                int width = h.kind() == HookPoint.Kind.MLP_POST ? neurons : hidden;
                                (h.kind() == HookPoint.Kind.MLP_POST ? post : out).get(l)
                                        .add(new Record(records++, i, h, width, slots, offset));
                                offset += 4L * width;
                            }
                        }
                    }
                    case ActivationInterceptor i -> {
                        for (int l = 0; l < layers; l++) {
                            if (i.actsAt(HookPoint.mlpPost(l))) post.get(l).add(new Host(i));
                            if (i.actsAt(HookPoint.mlpOut(l))) out.get(l).add(new Host(i));
                        }
                    }
                    case Intervention.All nested -> throw new IllegalStateException("Intervention.all flattens nested parts");
                }
            }
        } catch (RuntimeException e) {
            owned.forEach(DeviceBuffer::close);
            throw e;
        }
        return new DeviceInterventions(post, out, owned, records);
    }

    /** Notes that the pass copied {@code r}'s row. */
    public void filled(Record r) {
        filled[r.id()] = true;
    }

    /**
     * After the pass has run: hands each recorded row to its reader, layer by layer as the pass would have, as a
     * one-row view at position {@code promptLength - 1}.
     */
    public void deliver(int promptLength) {
        for (int l = 0; l < post.size(); l++) {
            for (HookPoint h : List.of(HookPoint.mlpPost(l), HookPoint.mlpOut(l))) {
                for (Op op : at(h)) {
                    if (!(op instanceof Record r) || !filled[r.id()]) continue;
                    filled[r.id()] = false;
                    float[] row = new float[r.width()];
                    r.slots().mapped().position(Math.toIntExact(r.offset())).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN)
                            .asFloatBuffer().get(row);
                    r.reader().apply(h, new HostRows(l, 1, r.width(), promptLength - 1, promptLength, row));
                }
            }
        }
    }

    private static void scale(NeuronMultipliers m, int layers, VulkanDevice device, List<List<Op>> post, List<DeviceBuffer> owned) {
        if (m.isEmpty()) return;
        int total = m.size();
        DeviceBuffer columns = DeviceBuffer.host(device, 4L * total);
        DeviceBuffer factors = DeviceBuffer.host(device, 4L * total);
        owned.add(columns);
        owned.add(factors);
        var cb = columns.mapped().asIntBuffer();
        var fb = factors.mapped().asFloatBuffer();
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            int[] idx = m.neurons(l);
            if (idx.length == 0) continue;
            cb.put(idx);
            fb.put(m.factors(l));
            post.get(l).add(new Scale(columns, factors, offset, idx.length));
            offset += idx.length;
        }
    }

    /** What to do at {@code hook}, in order; empty when nothing. */
    public List<Op> at(HookPoint hook) {
        return (hook.kind() == HookPoint.Kind.MLP_POST ? post : out).get(hook.layer());
    }

    @Override
    public void close() {
        owned.forEach(DeviceBuffer::close);
    }
}
