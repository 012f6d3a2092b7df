package dev.prefalign.operator.gitops;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs the chart's Argo CD health script the way Argo CD does: the resource, converted from JSON to Lua tables, is
 * the global {@code obj}, and the script returns a table with {@code status} and {@code message}.
 */
final class ArgoCdHealth {

    /** Where the chart ships the script; tests run in the operator module's folder. */
    static final Path SCRIPT = Path.of("..", "charts", "prefalign-operator", "argocd", "health.lua");

    record Health(String status, String message) {
    }

    private final String script;

    private ArgoCdHealth(String script) {
        this.script = script;
    }

    static ArgoCdHealth load() {
        try {
            return new ArgoCdHealth(Files.readString(SCRIPT));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the Argo CD health script " + SCRIPT.toAbsolutePath(), e);
        }
    }

    String script() {
        return script;
    }

    Health of(JsonNode resource) {
        // Fresh globals each time: a script that leaks state between objects would fail here, as in Argo CD.
        Globals globals = JsePlatform.standardGlobals();
        globals.set("obj", toLua(resource));
        LuaValue hs = globals.load(script, "health.lua").call();
        if (!hs.istable()) {
            throw new IllegalStateException("health.lua returned " + hs.typename() + ", not the hs table");
        }
        return new Health(hs.get("status").optjstring(null), hs.get("message").optjstring(null));
    }

    /** JSON to Lua as Argo CD's gopher-lua bridge does: objects and arrays become tables, null becomes nil. */
    static LuaValue toLua(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return LuaValue.NIL;
        }
        if (node.isObject()) {
            LuaTable table = new LuaTable();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                table.set(field.getKey(), toLua(field.getValue()));
            }
            return table;
        }
        if (node.isArray()) {
            LuaTable table = new LuaTable();
            for (int i = 0; i < node.size(); i++) {
                table.set(i + 1, toLua(node.get(i)));
            }
            return table;
        }
        if (node.isBoolean()) {
            return LuaValue.valueOf(node.booleanValue());
        }
        if (node.isNumber()) {
            return LuaValue.valueOf(node.doubleValue());
        }
        return LuaValue.valueOf(node.asText());
    }
}
