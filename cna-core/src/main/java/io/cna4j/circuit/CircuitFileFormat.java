package io.cna4j.circuit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.cna4j.model.ModelInfo;
import io.cna4j.model.NeuronId;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The JSON layout of a circuit file (schema version {@value CircuitFiles#SCHEMA_VERSION}) as records, and the
 * strict mapper that binds them: every component is required and non-null unless marked {@link OptionalField}
 * (may be absent) or {@code @JsonSetter(nulls = Nulls.SET)} (may be null); numbers are not coerced from strings,
 * nor integers from fractions. A new optional field, such as one more statistic per neuron, is one more component
 * marked {@code @OptionalField @JsonInclude(NON_NULL)}: files without it load unchanged.
 */
final class CircuitFileFormat {
    private CircuitFileFormat() {}

    /** A component that files may leave out (it then takes Java's default: false, 0 or null). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.RECORD_COMPONENT, ElementType.PARAMETER, ElementType.FIELD, ElementType.METHOD})
    @interface OptionalField {}

    /** The whole file. {@code noContrast} is absent in files older than it; {@code recommended} is written only when present. */
    record FileJson(
            int schemaVersion,
            ModelInfo model,
            SettingsJson settings,
            PromptCounts prompts,
            List<NeuronJson> neurons,
            @OptionalField @Nullable Boolean noContrast,
            List<IdJson> universalNeuronsRemoved,
            @OptionalField @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable RecommendedJson recommended) {}

    /** {@link DiscoverySettings}, whose {@code topFraction} is null when discovery asked for a count. */
    record SettingsJson(
            @JsonSetter(nulls = Nulls.SET) @Nullable Double topFraction,
            int k,
            boolean perLayer,
            List<Integer> excludedLayers,
            boolean excludeUniversal,
            double universalTopFraction,
            double universalPrevalence,
            boolean defaultUniversalPrompts) {

        static SettingsJson of(DiscoverySettings s) {
            return new SettingsJson(s.topFraction(), s.k(), s.perLayer(), s.excludedLayers(), s.excludeUniversal(),
                    s.universalTopFraction(), s.universalPrevalence(), s.defaultUniversalPrompts());
        }

        DiscoverySettings toSettings() {
            return new DiscoverySettings(topFraction, k, perLayer, excludedLayers, excludeUniversal, universalTopFraction,
                    universalPrevalence, defaultUniversalPrompts);
        }
    }

    /** One circuit neuron; {@code address} repeats layer and neuron for people reading the file. */
    record NeuronJson(int rank, int layer, int neuron, String address, double mu, double meanPositive, double meanNegative) {
        static NeuronJson of(CircuitNeuron n) {
            return new NeuronJson(n.rank(), n.layer(), n.neuron(), n.id().toString(), n.mu(), n.meanPositive(), n.meanNegative());
        }
    }

    /** A neuron's address, as in {@code universalNeuronsRemoved}. */
    record IdJson(int layer, int neuron, String address) {
        static IdJson of(NeuronId id) {
            return new IdJson(id.layer(), id.neuron(), id.toString());
        }
    }

    /** {@link RecommendedSetting}; {@code mmluAccuracy} may be null or absent. */
    record RecommendedJson(
            double multiplier,
            double behaviourRate,
            double klDivergence,
            double quality,
            @OptionalField @JsonSetter(nulls = Nulls.SET) @Nullable Double mmluAccuracy,
            String reason) {

        static RecommendedJson of(RecommendedSetting r) {
            return new RecommendedJson(r.multiplier(), r.behaviourRate(), r.klDivergence(), r.quality(), r.mmluAccuracy(), r.reason());
        }

        RecommendedSetting toSetting() {
            return new RecommendedSetting(multiplier, behaviourRate, klDivergence, quality, mmluAccuracy, reason);
        }
    }

    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .annotationIntrospector(new RequiredUnlessOptional())
            .defaultSetterInfo(JsonSetter.Value.construct(Nulls.FAIL, Nulls.FAIL))
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
                    .setAcceptBlankAsEmpty(false))
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    /**
     * Every property is required unless its component is marked {@link OptionalField}; an optional one that is
     * absent binds to null (Jackson's null handling cannot tell absent from null, see {@link #rejectNullOptionals}).
     */
    private static final class RequiredUnlessOptional extends JacksonAnnotationIntrospector {
        @Override
        public Boolean hasRequiredMarker(AnnotatedMember m) {
            return !m.hasAnnotation(OptionalField.class);
        }

        @Override
        public JsonSetter.Value findSetterInfo(Annotated a) {
            return a.hasAnnotation(OptionalField.class) ? JsonSetter.Value.forValueNulls(Nulls.SET) : super.findSetterInfo(a);
        }
    }

    /** An optional top-level field may be absent, but not null (as the hand-written reader had it). */
    static void rejectNullOptionals(Path file, JsonNode root) throws CircuitFileException {
        for (RecordComponent c : FileJson.class.getRecordComponents()) {
            JsonNode n = root.get(c.getName());
            if (c.isAnnotationPresent(OptionalField.class) && n != null && n.isNull()) {
                throw new CircuitFileException(file, "field '" + c.getName() + "' must be " + expected(c.getType()));
            }
        }
    }

    private static final Pattern MISSING = Pattern.compile("Missing required creator property '([^']*)'");

    /** The binding failure in the words the hand-written reader used: missing field 'x', field 'x' must be ... */
    static CircuitFileException problem(Path file, JsonMappingException e) {
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException bad) {
            return new CircuitFileException(file, "inconsistent content: " + bad.getMessage(), bad);
        }
        Matcher missing = MISSING.matcher(e.getOriginalMessage());
        if (missing.find()) return new CircuitFileException(file, "missing field '" + missing.group(1) + "'", e);
        List<JsonMappingException.Reference> path = e.getPath();
        if (path.isEmpty()) return new CircuitFileException(file, "does not fit the circuit file layout: " + e.getOriginalMessage(), e);
        JsonMappingException.Reference last = path.get(path.size() - 1);
        String field;
        String expected;
        if (last.getIndex() >= 0 && path.size() >= 2) {
            String list = path.get(path.size() - 2).getFieldName();
            boolean layers = "excludedLayers".equals(list);
            field = layers ? "settings.excludedLayers" : list + "[" + last.getIndex() + "]";
            expected = layers ? "integers" : "an object";
        } else {
            field = last.getFieldName();
            expected = expected(targetType(e));
        }
        return new CircuitFileException(file, "field '" + field + "' must be " + expected, e);
    }

    private static @Nullable Class<?> targetType(JsonMappingException e) {
        if (e instanceof MismatchedInputException m) return m.getTargetType();
        if (e.getCause() instanceof InputCoercionException c) return c.getTargetType();
        return null;
    }

    private static String expected(@Nullable Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) return "an integer";
        if (type == double.class || type == Double.class) return "a number";
        if (type == boolean.class || type == Boolean.class) return "true or false";
        if (type == String.class) return "a string";
        if (type != null && (type.isArray() || Collection.class.isAssignableFrom(type))) return "an array";
        return "an object";
    }
}
