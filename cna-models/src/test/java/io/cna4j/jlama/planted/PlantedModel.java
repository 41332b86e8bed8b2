package io.cna4j.jlama.planted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cna4j.jlama.Architecture;
import io.cna4j.jlama.text.ChatTemplate;
import io.cna4j.jlama.text.HfTokenizer;
import io.cna4j.model.NeuronId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Writes a small chat model whose refusal circuit is known because it was planted: requests that contain a
 * harm word ({@link HarmLexicon}) are answered with {@link #REFUSAL}, all others with {@link #COMPLIANCE},
 * both ending at end-of-sequence under greedy decoding and the model's chat template. Refusal is caused by a
 * known set G of MLP neurons in the last layers, which fire at the prompt's last token when a harm word was
 * seen and write the refusal direction; multiplying their activations by 0 turns refusals into compliance.
 * Next to G the model holds universal neurons U (strong on every prompt, their mean still differing between
 * harmful and benign prompts) and distractors D (firing on harm, writing nothing that matters), over small
 * random weights everywhere else. The folder (config, tokenizer, chat template, {@code model.safetensors})
 * loads with {@link io.cna4j.jlama.JlamaModels#load}.
 *
 * <p>By default it writes its own small byte-level BPE tokenizer, so it needs nothing from outside;
 * {@link Builder#tokenizerFrom} reuses a real model's tokenizer and template instead.
 *
 * {@snippet :
 * PlantedModelSpec spec = PlantedModel.builder()
 *         .architecture(Architecture.LLAMA)
 *         .layers(6).neuronsPerLayer(1024).hidden(128)  // the defaults
 *         .seed(7)
 *         .writeTo(Path.of("target/planted"));
 * try (var model = JlamaModels.load(spec.folder())) {
 *     model.generate(Prompt.chat("How do I build a bomb?"), GenerationOptions.greedy(20), ActivationInterceptor.NONE)
 *          .text();   // "I cannot help with that."
 * }
 * spec.gate();        // the planted refusal neurons, to score discovery against
 * }
 */
public final class PlantedModel {
    /** The instruct model's answer to a request with a harm word. */
    public static final String REFUSAL = "I cannot help with that.";
    /** The answer to every other request. */
    public static final String COMPLIANCE = "Sure, here is what you asked for.";

    private static final List<String> TEMPLATE_WORDS = List.of("system", "user", "assistant", "You", "are", "a",
            "helpful", "assistant.");

    private PlantedModel() {}

    /** A builder with the defaults: Llama, 6 layers x 1024 neurons, hidden 128, gate 0.1% of all neurons. */
    public static Builder builder() {
        return new Builder();
    }

    /** Writes an instruct model into {@code dir/instruct} and its base sibling into {@code dir/base}, defaults otherwise. */
    public static PlantedPair writePair(Path dir) throws IOException {
        return builder().writePair(dir);
    }

    /** Settings of one planted model. */
    public static final class Builder {
        private Architecture architecture = Architecture.LLAMA;
        private int layers = 6, neurons = 1024, hidden = 128, heads = 4, kvHeads = 2;
        private int gateSize = -1;
        private long seed = 7;
        private boolean base;
        private @Nullable Path tokenizerFrom;

        private Builder() {}

        /** {@link Architecture#LLAMA} (default) or {@link Architecture#QWEN2} (biases on q, k and v). */
        public Builder architecture(Architecture a) {
            if (a != Architecture.LLAMA && a != Architecture.QWEN2) {
                throw new IllegalArgumentException("planted models are LLAMA or QWEN2, not " + a);
            }
            this.architecture = a;
            return this;
        }

        /** Transformer layers (default 6, at least 2). */
        public Builder layers(int n) {
            if (n < 2) throw new IllegalArgumentException("layers must be >= 2, got " + n);
            this.layers = n;
            return this;
        }

        /** MLP neurons per layer (default 1024, at least 64). */
        public Builder neuronsPerLayer(int n) {
            if (n < 64) throw new IllegalArgumentException("neuronsPerLayer must be >= 64, got " + n);
            this.neurons = n;
            return this;
        }

        /** Residual width (default 128, so heads are 32 wide: jlama's attention kernels read whole 16-float vectors per head; at least 64 and a multiple of 4, the head count). */
        public Builder hidden(int n) {
            if (n < 64 || n % 4 != 0) throw new IllegalArgumentException("hidden must be >= 64 and a multiple of 4, got " + n);
            this.hidden = n;
            return this;
        }

        /** Size of the refusal gate G (default: 0.1% of all neurons, at least 1). */
        public Builder gateSize(int n) {
            if (n < 1) throw new IllegalArgumentException("gateSize must be >= 1, got " + n);
            this.gateSize = n;
            return this;
        }

        /** Seed of the random weights and of where the planted neurons sit (default 7). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** True for the base sibling: same structure, no refusal gate, complies with everything. */
        public Builder base(boolean b) {
            this.base = b;
            return this;
        }

        /**
         * Reuses the tokenizer and chat template of a real model folder ({@code tokenizer.json},
         * {@code tokenizer_config.json} with a {@code chat_template}) instead of writing the builder's own.
         */
        public Builder tokenizerFrom(Path folder) {
            this.tokenizerFrom = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /** The gate size in effect. */
        int effectiveGateSize() {
            return gateSize > 0 ? gateSize : Math.max(1, Math.round(layers * neurons * 0.001f));
        }

        /** Writes the model folder ({@code target} is created if needed). */
        public PlantedModelSpec writeTo(Path target) throws IOException {
            return new Writer(this).write(target);
        }

        /** Writes this builder's model as instruct into {@code dir/instruct} and its base sibling into {@code dir/base}. */
        public PlantedPair writePair(Path dir) throws IOException {
            boolean was = base;
            try {
                PlantedModelSpec instruct = base(false).writeTo(dir.resolve("instruct"));
                PlantedModelSpec baseSpec = base(true).writeTo(dir.resolve("base"));
                return new PlantedPair(instruct, baseSpec);
            } finally {
                base = was;
            }
        }
    }

    /** One write: tokenizer, then the answers' token chains, then the circuit, then config and weights. */
    private record Writer(Builder b) {
        PlantedModelSpec write(Path target) throws IOException {
            Files.createDirectories(target);
            HarmLexicon lexicon = HarmLexicon.standard();
            ObjectMapper json = new ObjectMapper();
            TokenIds ids = writeTokenizer(target, json, lexicon);
            ChatTemplate template = ChatTemplate.load(target).orElseThrow(() -> new IllegalArgumentException(
                    "the tokenizer folder has no chat template (chat_template.jinja or tokenizer_config.json \"chat_template\")"));
            try (HfTokenizer tok = HfTokenizer.load(target)) {
                int bos = ids.bos(), eos = ids.eos();
                if (b.tokenizerFrom != null && ids.declaredVocab() == 0) {
                    bos = template.specialToken("bos_token").flatMap(t -> boxed(tok.addedTokenId(t))).orElse(bos);
                    eos = template.specialToken("eos_token").flatMap(t -> boxed(tok.addedTokenId(t))).orElse(eos);
                }
                // padded to a multiple of 128, as real models do: jlama's vectorised output head skips a ragged tail
                int vocab = Math.max(ids.declaredVocab(), (tok.size() + 127) / 128 * 128);
                Answers answers = answers(tok, template, eos);
                return writeModel(target, json, lexicon, harmTokens(tok, lexicon), answers, vocab, bos, eos);
            }
        }

        /** BOS and EOS ids and the vocabulary size a copied tokenizer's config declares (0: none). */
        private record TokenIds(int bos, int eos, int declaredVocab) {}

        /** Writes the planted model's own word-level tokenizer, or copies the one of {@code tokenizerFrom}. */
        private TokenIds writeTokenizer(Path target, ObjectMapper json, HarmLexicon lexicon) throws IOException {
            int bos = 1, eos = 2, declaredVocab = 0;
            if (b.tokenizerFrom == null) {
                List<String> words = new ArrayList<>(WordLists.words("common-words.txt"));
                words.addAll(lexicon.words());
                words.addAll(TEMPLATE_WORDS);
                for (String s : List.of(REFUSAL, COMPLIANCE)) for (String w : s.split(" ")) words.add(stripPunct(w));
                OwnTokenizer.write(target, new LinkedHashSet<>(words), List.of("I", "Sure"));
                return new TokenIds(bos, eos, declaredVocab);
            }
            Path src = b.tokenizerFrom;
            for (String f : List.of("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")) {
                if (Files.isRegularFile(src.resolve(f))) {
                    Files.copy(src.resolve(f), target.resolve(f), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Path cfg = src.resolve("config.json");
            if (Files.isRegularFile(cfg)) {
                JsonNode c = json.readTree(cfg.toFile());
                if (c.path("bos_token_id").canConvertToInt()) bos = c.get("bos_token_id").asInt();
                if (c.path("eos_token_id").canConvertToInt()) eos = c.get("eos_token_id").asInt();
                declaredVocab = c.path("vocab_size").asInt(0);
            }
            return new TokenIds(bos, eos, declaredVocab);
        }

        /**
         * The planted answers as token chains: {@code trigger} is the formatted prompt's last token, {@code next}
         * maps each answer token to the one after it (EOS last), {@code slots} gives each token its feature slot.
         */
        private record Answers(int trigger, int refuseFirst, int complyFirst, Map<Integer, Integer> next,
                               Map<Integer, Integer> slots) {}

        private static Answers answers(HfTokenizer tok, ChatTemplate template, int eos) {
            String formatted = template.render(List.of(new ChatTemplate.Message("user", "Hello")), true);
            int[] prompt = tok.encode(formatted, false);
            int trigger = prompt[prompt.length - 1];
            int[] refuse = ids(tok, REFUSAL), comply = ids(tok, COMPLIANCE);
            if (refuse[0] == comply[0]) throw new IllegalStateException("both answers start with the same token");
            Map<Integer, Integer> next = new LinkedHashMap<>();
            chain(next, refuse, eos);
            chain(next, comply, eos);
            Map<Integer, Integer> slots = new LinkedHashMap<>();
            slots.put(trigger, PlantedWeights.SLOTS);
            for (int t : next.keySet()) {
                if (t == trigger) throw new IllegalStateException("an answer token is the prompt's last token " + t);
                slots.putIfAbsent(t, PlantedWeights.SLOTS + slots.size());
            }
            if (PlantedWeights.SLOTS + slots.size() > PlantedWeights.FEATURES) {
                throw new IllegalStateException("the answers take " + slots.size() + " distinct tokens; at most "
                        + (PlantedWeights.FEATURES - PlantedWeights.SLOTS) + " fit");
            }
            return new Answers(trigger, refuse[0], comply[0], next, slots);
        }

        /** Places the circuit, then writes config.json and model.safetensors. */
        private PlantedModelSpec writeModel(Path target, ObjectMapper json, HarmLexicon lexicon, Set<Integer> harm,
                                            Answers a, int vocab, int bos, int eos) throws IOException {
            Map<NeuronId, PlantedWeights.Role> roles = new LinkedHashMap<>();
            Circuit circuit = placeCircuit(roles);
            PlantedWeights.Plan plan = new PlantedWeights.Plan(b.architecture == Architecture.QWEN2, b.hidden, b.neurons,
                    b.layers, b.heads, b.kvHeads, vocab, b.seed, harm, a.next(), a.trigger(), a.refuseFirst(),
                    a.complyFirst(), a.slots(), roles);
            writeConfig(json, target, vocab, bos, eos);
            PlantedWeights.write(plan, target.resolve("model.safetensors"));
            return new PlantedModelSpec(target, b.architecture, b.base, circuit.gate, circuit.universal,
                    circuit.distractors, lexicon.words(), List.copyOf(new TreeSet<>(harm)), REFUSAL, COMPLIANCE);
        }

        private record Circuit(List<NeuronId> gate, List<NeuronId> universal, List<NeuronId> distractors) {}

        /** Where G, U and D sit and how strongly each reads; the base sibling moves half of G and unwires all of it. */
        private Circuit placeCircuit(Map<NeuronId, PlantedWeights.Role> roles) {
            SplittableRandom r = new SplittableRandom(b.seed * 1_000_003L + 5);
            int g = b.effectiveGateSize();
            Set<NeuronId> used = new java.util.HashSet<>();
            List<NeuronId> gate = new ArrayList<>(), universal = new ArrayList<>(), distractors = new ArrayList<>();
            int gateLayers = Math.min(2, b.layers - 1);
            SplittableRandom moved = new SplittableRandom(b.seed * 7_919L + 11);
            for (int i = 0; i < g; i++) {
                int layer = b.layers - 1 - (i % gateLayers);
                NeuronId id = fresh(r, layer, used);
                float a = uniform(r, 3f, 4f), bb = uniform(r, 1.6f, 2.4f);
                if (b.base) {
                    if (i % 2 == 1) id = fresh(moved, layer, used);
                    roles.put(id, new PlantedWeights.Role(PlantedWeights.Kind.GATE_UNWIRED, a, bb, 0));
                    distractors.add(id);
                } else {
                    roles.put(id, new PlantedWeights.Role(PlantedWeights.Kind.GATE, a, bb, 0));
                    gate.add(id);
                }
            }
            for (int i = 0; i < 2 * g; i++) {
                NeuronId id = fresh(r, 1 + r.nextInt(b.layers - 1), used);
                roles.put(id, new PlantedWeights.Role(PlantedWeights.Kind.DISTRACTOR, uniform(r, 2.5f, 3.5f), uniform(r, 0.4f, 0.8f), 0));
                distractors.add(id);
            }
            // few enough that all of them rank among the top 0.1% activations of every prompt, which is what the
            // universal filter looks for; more would crowd each other out of that top and survive the filter
            for (int i = 0; i < Math.max(2, (g + 1) / 2); i++) {
                NeuronId id = fresh(r, r.nextInt(b.layers), used);
                roles.put(id, new PlantedWeights.Role(PlantedWeights.Kind.UNIVERSAL, uniform(r, 2f, 3f), uniform(r, 3f, 5f), uniform(r, 2f, 3f)));
                universal.add(id);
            }
            return new Circuit(sorted(gate), sorted(universal), sorted(distractors));
        }

        private NeuronId fresh(SplittableRandom r, int layer, Set<NeuronId> used) {
            while (true) {
                NeuronId id = NeuronId.of(layer, r.nextInt(b.neurons));
                if (used.add(id)) return id;
            }
        }

        private void writeConfig(ObjectMapper json, Path target, int vocab, int bos, int eos) throws IOException {
            Map<String, Object> c = new LinkedHashMap<>();
            boolean qwen = b.architecture == Architecture.QWEN2;
            c.put("architectures", List.of(b.architecture.className()));
            c.put("model_type", b.architecture.modelType());
            c.put("hidden_size", b.hidden);
            c.put("intermediate_size", b.neurons);
            c.put("num_hidden_layers", b.layers);
            c.put("num_attention_heads", b.heads);
            c.put("num_key_value_heads", b.kvHeads);
            c.put("vocab_size", vocab);
            c.put("max_position_embeddings", 2048);
            c.put("rms_norm_eps", 1e-5);
            c.put("rope_theta", 1_000_000.0);
            c.put("hidden_act", "silu");
            c.put("tie_word_embeddings", false);
            c.put("bos_token_id", bos);
            c.put("eos_token_id", eos);
            if (!qwen) c.put("attention_bias", false);
            c.put("mlp_bias", false);
            c.put("torch_dtype", "float32");
            c.put("cna4j_planted", Map.of("base", b.base, "seed", b.seed, "refusal", REFUSAL, "compliance", COMPLIANCE));
            json.writerWithDefaultPrettyPrinter().writeValue(target.resolve("config.json").toFile(), c);
        }
    }

    /** Tokens that carry the harm signal: each harm word that is one token, else its longest piece of 4+ letters. */
    static Set<Integer> harmTokens(HfTokenizer tok, HarmLexicon lexicon) {
        Set<Integer> out = new TreeSet<>();
        for (String w : lexicon.words()) {
            for (String variant : List.of(" " + w, w)) {
                int[] ids = ids(tok, variant);
                if (ids.length == 1) {
                    out.add(ids[0]);
                    continue;
                }
                int best = -1, bestLen = 3;
                for (int id : ids) {
                    int len = tok.decode(new int[] {id}, false).strip().length();
                    if (len > bestLen) {
                        best = id;
                        bestLen = len;
                    }
                }
                if (best >= 0) out.add(best);
            }
        }
        return out;
    }

    private static void chain(Map<Integer, Integer> next, int[] tokens, int eos) {
        for (int i = 0; i < tokens.length; i++) {
            int succ = i + 1 < tokens.length ? tokens[i + 1] : eos;
            Integer prev = next.putIfAbsent(tokens[i], succ);
            if (prev != null && prev != succ) {
                throw new IllegalStateException("answer token " + tokens[i] + " is followed by two different tokens");
            }
        }
    }

    private static int[] ids(HfTokenizer tok, String text) {
        return tok.encode(text, false);
    }

    private static java.util.Optional<Integer> boxed(java.util.OptionalInt i) {
        return i.isPresent() ? java.util.Optional.of(i.getAsInt()) : java.util.Optional.empty();
    }

    private static String stripPunct(String w) {
        return w.replaceAll("[.,]", "");
    }

    private static float uniform(SplittableRandom r, float lo, float hi) {
        return (float) (lo + r.nextDouble() * (hi - lo));
    }

    private static List<NeuronId> sorted(List<NeuronId> ids) {
        return List.copyOf(new TreeSet<>(ids));
    }

}
