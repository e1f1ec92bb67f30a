package dev.tuner.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tuner.settings.SettingKind;
import dev.tuner.settings.registry.KindOptions;
import dev.tuner.settings.registry.SettingKinds;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The playbook JSON Schema (draft-07), composed from three sources: the base beside this class
 * ({@value #BASE}: plays, tasks, handlers, verify, serial and the definitions kinds share, such as
 * {@code templated}), each kind's fragment ({@link SettingKind#schemaFragment()}: the schema of its
 * task value), and the kinds' task options ({@link KindOptions}), which become properties of the
 * tasks of the kinds that take them and of plays.
 *
 * <p>A fragment may refer to the base's definitions ({@code #/definitions/templated}) and may carry
 * {@code definitions} of its own, named after the kind ({@code sysctlValue}): they join the
 * schema's definitions, where its references find them.
 */
public final class PlaybookSchema {
    static final String BASE = "playbook-base.schema.json";
    private static final String REF = "#/definitions/";

    private PlaybookSchema() {}

    /** The schema of the registered kinds, as {@code tuner schema} prints it and schema/playbook.schema.json holds it. */
    public static String text() {
        return PrettyJson.text(compose(SettingKinds.names().stream().map(SettingKinds::require).toList()));
    }

    /** The schema for these kinds, in their order. */
    static ObjectNode compose(List<SettingKind> kinds) {
        KindOptions options = KindOptions.of(kinds);
        ObjectNode schema = base();
        ObjectNode defs = (ObjectNode) schema.get("definitions");
        ObjectNode play = (ObjectNode) defs.get("play");
        ObjectNode task = (ObjectNode) defs.get("task");
        ObjectNode playProps = (ObjectNode) play.get("properties");
        ObjectNode taskProps = (ObjectNode) task.get("properties");

        for (KindOptions.Declared o : options.all()) {
            playProps.set(o.name(), option(o, "The default for this play's " + o.kindsInWords() + " tasks."));
            taskProps.set(o.name(), option(o, "Only " + o.kindsInWords() + " tasks take it."));
        }

        // Exactly one kind per task; an option of other kinds is refused on it, as the parser does.
        ArrayNode oneOf = task.putArray("oneOf");
        StringBuilder optionsInWords = new StringBuilder();
        for (SettingKind kind : kinds) {
            String name = kind.name();
            if (defs.has(name) || taskProps.has(name))
                throw new IllegalStateException("setting kind " + name + " has the name of a playbook key or schema definition");
            ObjectNode fragment = fragment(kind);
            JsonNode own = fragment.remove("definitions");
            if (own != null) {
                for (Map.Entry<String, JsonNode> d : own.properties()) {
                    if (!d.getKey().startsWith(name) || d.getKey().equals(name) || defs.has(d.getKey()))
                        throw new IllegalStateException("setting kind " + name + ": schema.json defines '" + d.getKey()
                                + "': name a kind's own definitions after the kind (" + name + "Value, ...) so they cannot collide");
                    defs.set(d.getKey(), d.getValue());
                }
            }
            defs.set(name, fragment);
            taskProps.putObject(name).put("$ref", REF + name);

            ObjectNode alternative = oneOf.addObject();
            alternative.putArray("required").add(name);
            List<String> foreign = options.all().stream().filter(o -> !o.takenBy(name)).map(KindOptions.Declared::name).toList();
            if (!foreign.isEmpty()) {
                ObjectNode names = alternative.putObject("propertyNames");
                names.put("description", String.join(", ", foreign) + ": options of other kinds, which " + name + " tasks do not take.");
                names.put("pattern", "^(?!(" + String.join("|", foreign) + ")$)");
            }
            List<String> taken = options.takenBy(name).stream().map(KindOptions.Declared::name).toList();
            if (!taken.isEmpty()) optionsInWords.append(' ').append(name).append(" tasks also take ").append(String.join(", ", taken)).append('.');
        }
        task.put("description", task.path("description").asText() + " Setting kinds: " + String.join(", ", kinds.stream()
                .map(SettingKind::name).toList()) + "." + optionsInWords);
        return schema;
    }

    private static ObjectNode option(KindOptions.Declared declared, String scope) {
        ObjectNode out = PrettyJson.mapper().createObjectNode();
        String description = declared.option().description().strip();
        out.put("description", description + (description.endsWith(".") ? " " : ". ") + scope);
        if (declared.option().isBoolean()) out.put("type", "boolean");
        else declared.option().choices().forEach(out.withArray("enum")::add);
        return out;
    }

    private static ObjectNode fragment(SettingKind kind) {
        JsonNode node;
        try {
            node = PrettyJson.mapper().readTree(kind.schemaFragment());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("setting kind " + kind.name() + ": schema.json is not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (!(node instanceof ObjectNode object))
            throw new IllegalStateException("setting kind " + kind.name() + ": schema.json must hold a JSON Schema object");
        if (object.path("description").asText().isBlank())
            throw new IllegalStateException("setting kind " + kind.name() + ": schema.json needs a description (editors show it)");
        return object;
    }

    private static ObjectNode base() {
        try (InputStream in = PlaybookSchema.class.getResourceAsStream(BASE)) {
            if (in == null) throw new IllegalStateException(BASE + " is missing beside " + PlaybookSchema.class.getName());
            return (ObjectNode) PrettyJson.mapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
