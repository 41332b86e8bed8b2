package example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * README.md's code blocks that follow a {@code <!-- snippet: FILE#REGION -->} line are the regions of this
 * project's files between {@code tag::REGION[]} and {@code end::REGION[]} (indentation removed), so the README
 * shows only code that compiles against the published artifacts and passes SnippetsOnPlantedModelTest. On a
 * difference the failure prints the region to paste into the README.
 */
class ReadmeSnippetsTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+)#(\\S+) -->$");

    @Test
    void readmeBlocksEqualTheConsumersRegions() throws IOException {
        Map<String, String> blocks = readmeBlocks(ROOT.resolve("README.md"));
        assertThat(blocks.keySet()).as("README.md's snippet markers").contains(
                "consumer/pom.xml#bom", "consumer/pom.xml#dependencies", "consumer/pom.xml#testkit",
                "consumer/src/main/java/example/consumer/UsingIt.java#using-it",
                "consumer/src/main/java/example/consumer/Circuits.java#circuits");
        for (Map.Entry<String, String> e : blocks.entrySet()) {
            String[] fileAndRegion = e.getKey().split("#", 2);
            String region = region(ROOT.resolve(fileAndRegion[0]), fileAndRegion[1]);
            assertThat(e.getValue()).as("README.md block after <!-- snippet: %s -->; the region is:%n%s", e.getKey(), region)
                    .isEqualTo(region);
        }
    }

    @Test
    void theBomVersionIsTheReactorsVersion() throws Exception {
        Document reactor = xml(ROOT.resolve("pom.xml"));
        Document bom = xml(ROOT.resolve("cna4j-bom/pom.xml"));
        Document consumer = xml(ROOT.resolve("consumer/pom.xml"));
        String version = child(reactor.getDocumentElement(), "version");
        assertThat(child(bom.getDocumentElement(), "version")).as("cna4j-bom/pom.xml version").isEqualTo(version);
        NodeList deps = consumer.getElementsByTagName("dependency");
        String imported = null;
        for (int i = 0; i < deps.getLength(); i++) {
            Element d = (Element) deps.item(i);
            if ("cna4j-bom".equals(child(d, "artifactId"))) imported = child(d, "version");
        }
        assertThat(imported).as("the cna4j-bom version consumer/pom.xml imports (and README.md shows)").isEqualTo(version);
    }

    /** Fenced blocks that follow a snippet marker, keyed by FILE#REGION. */
    static Map<String, String> readmeBlocks(Path readme) throws IOException {
        List<String> lines = Files.readAllLines(readme);
        Map<String, String> blocks = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = MARKER.matcher(lines.get(i).strip());
            if (!m.matches()) continue;
            int open = i + 1;
            assertThat(open < lines.size() && lines.get(open).startsWith("```"))
                    .as("README.md line %d: a code fence must follow %s", open + 1, lines.get(i)).isTrue();
            List<String> body = new ArrayList<>();
            int j = open + 1;
            while (j < lines.size() && !lines.get(j).startsWith("```")) body.add(lines.get(j++));
            assertThat(j).as("README.md: the block after line %d is not closed", i + 1).isLessThan(lines.size());
            String key = m.group(1) + "#" + m.group(2);
            assertThat(blocks.put(key, String.join("\n", body))).as("README.md shows %s twice", key).isNull();
            i = j;
        }
        return blocks;
    }

    /** The lines between the tag comments, without the common indentation. */
    static String region(Path file, String name) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = -1, end = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("tag::" + name + "[]")) start = i;
            if (lines.get(i).contains("end::" + name + "[]")) end = i;
        }
        assertThat(start).as("%s has no tag::%s[]", file, name).isGreaterThanOrEqualTo(0);
        assertThat(end).as("%s has no end::%s[] after its tag", file, name).isGreaterThan(start);
        List<String> body = lines.subList(start + 1, end);
        int indent = body.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return String.join("\n", body.stream().map(l -> l.isBlank() ? "" : l.substring(indent)).toList());
    }

    private static Document xml(Path file) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
    }

    private static String child(Element parent, String name) {
        NodeList kids = parent.getChildNodes();
        for (int i = 0; i < kids.getLength(); i++) {
            if (kids.item(i) instanceof Element e && e.getTagName().equals(name)) return e.getTextContent().strip();
        }
        return null;
    }
}
