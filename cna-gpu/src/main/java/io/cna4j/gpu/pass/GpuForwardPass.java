package io.cna4j.gpu.pass;

import io.cna4j.gpu.vulkan.CommandStream;
import io.cna4j.gpu.vulkan.ComputePipeline;
import io.cna4j.gpu.vulkan.DeviceBuffer;
import io.cna4j.gpu.vulkan.VulkanDevice;
import io.cna4j.jlama.rope.RopeScaling;
import io.cna4j.model.HookPoint;
import io.cna4j.model.NonFiniteActivationException;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The transformer's forward pass on the device, one step (a batch of consecutive positions) at a time:
 * embedding gather, then per layer RMSNorm, q/k/v projections (+ biases), RoPE, the key/value cache store,
 * grouped-query attention, the output projection added to the residual, RMSNorm, gate and up projections,
 * SiLU-gated product, the hooks at {@code mlp.hook_post}, the down projection, the hooks at
 * {@code hook_mlp_out} and the residual add; then on request the final norm, the output head and a greedy argmax.
 * Only token ids go in and logits, chosen tokens and intercepted rows come out.
 *
 * <p>Holds one workspace and one key/value cache, grown as calls need: not thread-safe; the model serialises calls.
 *
 * {@snippet :
 * pass.begin(promptLength + maxNew);
 * pass.layers(promptIds, 0, promptIds.length, interventions);
 * int next = pass.argmax(promptIds.length);
 * }
 */
public final class GpuForwardPass implements AutoCloseable {
    private static final int TILE = 8;

    private final VulkanDevice device;
    private final CommandStream stream;
    private final GpuWeights w;
    private final ModelShape s;
    private final List<ComputePipeline> pipelines = new ArrayList<>();
    private final ComputePipeline[] embed = new ComputePipeline[3];
    private final ComputePipeline[] matmul = new ComputePipeline[3];
    private final ComputePipeline rmsnorm, rope, attention, siluMul, scaleColumns, addRows, argmax;
    private final DeviceBuffer ropeTable;
    private final DeviceBuffer zeros;
    private final DeviceBuffer result;

    private int tokenCap;
    private int positionCap;
    private DeviceBuffer ids, x, xn, q, k, v, attn, gate, up, mlpOut, scores, logits, staging;
    private final List<DeviceBuffer> keyCache = new ArrayList<>(), valueCache = new ArrayList<>();

    public GpuForwardPass(VulkanDevice device, CommandStream stream, GpuWeights weights, ModelShape shape, RopeScaling rope) {
        this.device = device;
        this.stream = stream;
        this.w = weights;
        this.s = shape;
        for (int t = 0; t < 3; t++) {
            Map<String, String> m = Map.of("WTYPE", Integer.toString(t));
            embed[t] = pipeline("embed", m, 3);
            matmul[t] = pipeline(device.isCpu() ? "matmul_rows" : "matmul", m, 4);
        }
        rmsnorm = pipeline("rmsnorm", Map.of(), 3);
        this.rope = pipeline("rope", Map.of(), 3);
        attention = pipeline("attention", Map.of(), 5);
        siluMul = pipeline("silu_mul", Map.of(), 2);
        scaleColumns = pipeline("scale_columns", Map.of(), 3);
        addRows = pipeline("add_rows", Map.of(), 2);
        argmax = pipeline("argmax", Map.of(), 2);
        zeros = DeviceBuffer.local(device, 16);
        result = DeviceBuffer.local(device, 16);
        ropeTable = DeviceBuffer.local(device, 8L * shape.contextLength() * (shape.headSize() / 2));
        uploadRope(rope);
    }

    private ComputePipeline pipeline(String name, Map<String, String> macros, int bindings) {
        ComputePipeline p = new ComputePipeline(device, name, macros, bindings);
        pipelines.add(p);
        return p;
    }

    /** (cos, sin) for every usable position and frequency, from the config's RoPE scaling (computed on the host). */
    private void uploadRope(RopeScaling rope) {
        int half = s.headSize() / 2;
        long rows = s.contextLength();
        int chunkPositions = (int) Math.max(1, (16L << 20) / (8L * half));
        try (DeviceBuffer stage = DeviceBuffer.host(device, 8L * half * chunkPositions)) {
            for (int p0 = 0; p0 < rows; p0 += chunkPositions) {
                int n = (int) Math.min(chunkPositions, rows - p0);
                FloatBuffer f = stage.mapped().asFloatBuffer();
                for (int p = p0; p < p0 + n; p++) {
                    for (int j = 0; j < half; j++) {
                        f.put(rope.cos(p, j));
                        f.put(rope.sin(p, j));
                    }
                }
                stream.copy(stage, 0, ropeTable, 8L * p0 * half, 8L * n * half);
                stream.submitAndWait();
            }
        }
    }

    /** Device bytes of the workspace and cache for {@code tokens} positions per step and {@code positions} in all. */
    public static long workspaceBytes(ModelShape s, int tokens, int positions) {
        long perToken = 3L * s.hidden() + 2L * s.qWidth() + 2L * s.kvWidth() + 2L * s.intermediate() + s.vocab()
                + (long) s.heads() * positions;
        long cache = 2L * s.layers() * positions * s.kvWidth();
        return 4L * (tokens * perToken + cache);
    }

    /** Makes room for steps of up to {@code tokens} positions and a sequence of {@code positions}. */
    public void reserve(int tokens, int positions) {
        if (tokens > tokenCap || positions > positionCap) {
            freeWorkspace();
            tokenCap = Math.max(tokens, tokenCap);
            positionCap = Math.max(positions, positionCap);
            int t = tokenCap;
            ids = DeviceBuffer.local(device, 4L * t);
            x = DeviceBuffer.local(device, 4L * t * s.hidden());
            xn = DeviceBuffer.local(device, 4L * t * s.hidden());
            q = DeviceBuffer.local(device, 4L * t * s.qWidth());
            k = DeviceBuffer.local(device, 4L * t * s.kvWidth());
            v = DeviceBuffer.local(device, 4L * t * s.kvWidth());
            attn = DeviceBuffer.local(device, 4L * t * s.qWidth());
            gate = DeviceBuffer.local(device, 4L * t * s.intermediate());
            up = DeviceBuffer.local(device, 4L * t * s.intermediate());
            mlpOut = DeviceBuffer.local(device, 4L * t * s.hidden());
            scores = DeviceBuffer.local(device, 4L * t * s.heads() * positionCap);
            logits = DeviceBuffer.local(device, 4L * t * s.vocab());
            staging = DeviceBuffer.host(device, 4L * t * Math.max(s.vocab(), Math.max(s.intermediate(), s.hidden())));
            for (int l = 0; l < s.layers(); l++) {
                keyCache.add(DeviceBuffer.local(device, 4L * positionCap * s.kvWidth()));
                valueCache.add(DeviceBuffer.local(device, 4L * positionCap * s.kvWidth()));
            }
        }
    }

    private void freeWorkspace() {
        for (DeviceBuffer b : new DeviceBuffer[] {ids, x, xn, q, k, v, attn, gate, up, mlpOut, scores, logits, staging}) {
            if (b != null) b.close();
        }
        keyCache.forEach(DeviceBuffer::close);
        valueCache.forEach(DeviceBuffer::close);
        keyCache.clear();
        valueCache.clear();
    }

    /**
     * Records and runs one step: {@code tokens} at positions {@code start ..}, through every layer, applying
     * {@code ops} at the hooks (host interceptors flush the stream and see a host copy). The residual rows stay on
     * the device for {@link #logits} or {@link #argmax}; the stream may still hold unsubmitted work.
     */
    public void layers(int[] tokens, int start, int promptLength, DeviceInterventions ops) {
        int t = tokens.length;
        if (t > tokenCap || start + t > positionCap) {
            throw new IllegalStateException("step of " + t + " tokens at " + start + " exceeds the reserved " + tokenCap
                    + " tokens / " + positionCap + " positions");
        }
        staging.mapped().asIntBuffer().put(tokens);
        stream.copy(staging, 0, ids, 0, 4L * t);
        for (GpuMatrix.Chunk c : w.embedding().chunks()) {
            stream.dispatch(embed[w.embedding().wtype()], new int[] {s.hidden(), t, c.firstRow(), c.rows()}, 1, t, ids, c.buffer(), x);
        }
        int half = s.headSize() / 2;
        for (int l = 0; l < s.layers(); l++) {
            GpuWeights.Layer L = w.layer(l);
            norm(x, L.inputNorm(), xn, t, 0);
            project(xn, L.q(), L.qBias(), q, t, false);
            project(xn, L.k(), L.kBias(), k, t, false);
            project(xn, L.v(), L.vBias(), v, t, false);
            stream.dispatch(rope, new int[] {t, start, s.heads(), s.kvHeads(), s.headSize()},
                    ceil((s.heads() + s.kvHeads()) * half, 64), t, q, k, ropeTable);
            long kvRow = 4L * s.kvWidth();
            stream.copy(k, 0, keyCache.get(l), start * kvRow, t * kvRow);
            stream.copy(v, 0, valueCache.get(l), start * kvRow, t * kvRow);
            stream.dispatch(attention, new int[] {t, start, s.heads(), s.kvHeads(), s.headSize(), positionCap,
                    Float.floatToRawIntBits((float) (1.0 / Math.sqrt(s.headSize())))}, s.heads(), t,
                    q, keyCache.get(l), valueCache.get(l), scores, attn);
            project(attn, L.o(), L.oBias(), x, t, true);
            norm(x, L.postNorm(), xn, t, 0);
            project(xn, L.gate(), null, gate, t, false);
            project(xn, L.up(), null, up, t, false);
            int count = t * s.intermediate();
            int groups = ceil(count, 256);
            stream.dispatch(siluMul, new int[] {count}, Math.min(groups, 65535), ceil(groups, 65535), gate, up);
            hooks(HookPoint.mlpPost(l), ops, gate, s.intermediate(), t, start, promptLength);
            project(gate, L.down(), null, mlpOut, t, false);
            hooks(HookPoint.mlpOut(l), ops, mlpOut, s.hidden(), t, start, promptLength);
            stream.dispatch(addRows, new int[] {s.hidden(), 0, Float.floatToRawIntBits(1f), 0}, ceil(s.hidden(), 256), t, x, mlpOut);
        }
    }

    private void hooks(HookPoint hook, DeviceInterventions ops, DeviceBuffer rows, int width, int t, int start, int promptLength) {
        for (DeviceInterventions.Op op : ops.at(hook)) {
            switch (op) {
                case DeviceInterventions.Scale sc -> stream.dispatch(scaleColumns, new int[] {width, sc.count(), sc.offset()},
                        ceil(sc.count(), 64), t, rows, sc.columns(), sc.factors());
                case DeviceInterventions.Add a -> stream.dispatch(addRows,
                        new int[] {width, 1, Float.floatToRawIntBits(a.scale()), 0}, ceil(width, 256), t, rows, a.vector());
                case DeviceInterventions.Record r -> {
                    int last = promptLength - 1 - start;
                    if (last >= 0 && last < t) {
                        stream.copy(rows, 4L * last * width, r.slots(), r.offset(), 4L * width);
                        ops.filled(r);
                    }
                }
                case DeviceInterventions.Host h -> {
                    long bytes = 4L * t * width;
                    stream.copy(rows, 0, staging, 0, bytes);
                    stream.submitAndWait();
                    float[] values = new float[t * width];
                    staging.mapped().asFloatBuffer().get(values);
                    h.part().apply(hook, new HostRows(hook.layer(), t, width, start, promptLength, values));
                    staging.mapped().asFloatBuffer().put(values);
                    stream.copy(staging, 0, rows, 0, bytes);
                }
            }
        }
    }

    /** Runs what the last {@link #layers} recorded without computing logits. */
    public void finish() {
        stream.submitAndWait();
    }

    /**
     * The logits of rows {@code from .. tokens - 1} of the last step: final norm, output head, copy to the host.
     *
     * @param firstPosition the absolute position of row 0, for error messages
     * @throws NonFiniteActivationException on a NaN or infinite logit
     */
    public float[][] logits(int tokens, int from, int firstPosition, String prompt) {
        int rows = tokens - from;
        norm(x, w.finalNorm(), xn, rows, from);
        project(xn, w.head(), null, logits, rows, false);
        stream.copy(logits, 0, staging, 0, 4L * rows * s.vocab());
        stream.submitAndWait();
        FloatBuffer f = staging.mapped().asFloatBuffer();
        float[][] out = new float[rows][s.vocab()];
        for (int r = 0; r < rows; r++) {
            f.get(out[r]);
            for (int i = 0; i < s.vocab(); i++) {
                if (!Float.isFinite(out[r][i])) {
                    throw new NonFiniteActivationException(NonFiniteActivationException.Site.LOGITS, -1,
                            firstPosition + from + r, i, out[r][i], prompt);
                }
            }
        }
        return out;
    }

    /**
     * The greedy next token after the last row of the last step, chosen on the device (only the id comes back).
     *
     * @throws NonFiniteActivationException when that row's logits hold a NaN or infinite value
     */
    public int argmax(int tokens, int position, String prompt) {
        norm(x, w.finalNorm(), xn, 1, tokens - 1);
        project(xn, w.head(), null, logits, 1, false);
        stream.dispatch(argmax, new int[] {s.vocab(), 0}, 1, 1, logits, result);
        stream.copy(result, 0, staging, 0, 8);
        stream.submitAndWait();
        ByteBuffer b = staging.mapped();
        int id = b.getInt(0);
        if (b.getInt(4) != 0) {
            throw new NonFiniteActivationException(NonFiniteActivationException.Site.LOGITS, -1, position, id, Float.NaN, prompt);
        }
        return id;
    }

    private void norm(DeviceBuffer in, DeviceBuffer weight, DeviceBuffer out, int rows, int firstRow) {
        stream.dispatch(rmsnorm, new int[] {s.hidden(), firstRow, Float.floatToRawIntBits(s.eps())}, rows, 1, in, weight, out);
    }

    private void project(DeviceBuffer in, GpuMatrix m, @org.jspecify.annotations.Nullable DeviceBuffer bias, DeviceBuffer out, int t, boolean accumulate) {
        for (GpuMatrix.Chunk c : m.chunks()) {
            stream.dispatch(matmul[m.wtype()], new int[] {m.cols(), m.rows(), t, c.firstRow(), bias == null ? 0 : 1,
                    accumulate ? 1 : 0, c.rows()}, device.isCpu() ? ceil(c.rows(), 64) : c.rows(), ceil(t, TILE), in, c.buffer(),
                    bias == null ? zeros : bias, out);
        }
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public void close() {
        freeWorkspace();
        ropeTable.close();
        zeros.close();
        result.close();
        pipelines.forEach(ComputePipeline::close);
    }
}
