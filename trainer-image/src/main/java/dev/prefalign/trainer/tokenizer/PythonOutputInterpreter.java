package dev.prefalign.trainer.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpreterFactory;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;

/**
 * An interpreter that prints {@code {{ value }}} as Python's {@code str(value)} does for the scalars where Java
 * differs: {@code True}/{@code False} rather than {@code true}/{@code false}, and floats as Python's repr
 * ({@code 1e-05}, not {@code 1.0E-5}).
 */
final class PythonOutputInterpreter extends JinjavaInterpreter {

    /** Makes every interpreter of a Jinjava instance, child interpreters included, a Python-printing one. */
    static final InterpreterFactory FACTORY = new InterpreterFactory() {
        @Override
        public JinjavaInterpreter newInstance(JinjavaInterpreter original) {
            return new PythonOutputInterpreter(original);
        }

        @Override
        public JinjavaInterpreter newInstance(Jinjava application, Context context, JinjavaConfig renderConfig) {
            return new PythonOutputInterpreter(application, context, renderConfig);
        }
    };

    private PythonOutputInterpreter(Jinjava application, Context context, JinjavaConfig renderConfig) {
        super(application, context, renderConfig);
    }

    private PythonOutputInterpreter(JinjavaInterpreter original) {
        super(original);
    }

    @Override
    public String getAsString(Object object) {
        if (object instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (object instanceof Double || object instanceof Float) {
            return PythonJson.floatRepr(((Number) object).doubleValue());
        }
        return super.getAsString(object);
    }
}
