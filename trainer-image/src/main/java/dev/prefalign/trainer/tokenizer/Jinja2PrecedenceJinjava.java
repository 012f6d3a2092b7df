package dev.prefalign.trainer.tokenizer;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.el.ExtendedSyntaxBuilder;
import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.el.ext.ExtendedParser;
import jinjava.de.odysseus.el.ExpressionFactoryImpl;
import jinjava.de.odysseus.el.tree.TreeStore;
import jinjava.de.odysseus.el.tree.impl.Builder;
import jinjava.de.odysseus.el.tree.impl.Cache;
import jinjava.de.odysseus.el.tree.impl.Parser;
import jinjava.de.odysseus.el.tree.impl.Scanner;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import jinjava.javax.el.ExpressionFactory;

/**
 * Jinjava whose expressions give {@code not} Jinja2's (Python's) precedence.
 *
 * <p>Jinjava parses {@code not} as a unary operator binding tighter than everything, so {@code not x is defined} means
 * {@code (not x) is defined} (always true) and {@code not a == b} means {@code (not a) == b}; Jinja2 reads
 * {@code not (x is defined)} and {@code not (a == b)}. Llama 3.1's template relies on the Jinja2 reading
 * ({@code {% if not date_string is defined %}}, {@code {% if not tools is defined %}}), and the
 * {@code useNaturalOperatorPrecedence} override does not cover it. Here {@code not} is parsed between {@code and} and
 * the comparisons, as in Jinja2's {@code parse_not}.
 */
final class Jinja2PrecedenceJinjava extends Jinjava {

    /** JUEL's expression cache size, as Jinjava's own factory uses it. */
    private static final int EXPRESSION_CACHE_SIZE = 1000;

    private final ExpressionFactory expressionFactory = new ExpressionFactoryImpl(
        new TreeStore(new SyntaxBuilder(), new Cache(EXPRESSION_CACHE_SIZE)), new TruthyTypeConverter());

    Jinja2PrecedenceJinjava(JinjavaConfig config) {
        super(config);
    }

    @Override
    public ExpressionFactory getExpressionFactory() {
        return expressionFactory;
    }

    /** Jinjava's syntax (filters, tests, Python literals) with the features of JUEL's JEE6 profile, as Jinjava's. */
    private static final class SyntaxBuilder extends ExtendedSyntaxBuilder {

        private static final long serialVersionUID = 1L;

        SyntaxBuilder() {
            super(Feature.METHOD_INVOCATIONS, Feature.VARARGS);
        }

        @Override
        protected Parser createParser(String expression) {
            return new NotPrecedenceParser(this, expression);
        }
    }

    private static final class NotPrecedenceParser extends ExtendedParser {

        NotPrecedenceParser(Builder context, String input) {
            super(context, input);
        }

        /** {@code not} at the start of an equality operand negates the whole comparison, tests and filters included. */
        @Override
        protected AstNode eq(boolean required) throws Scanner.ScanException, ParseException {
            if (getToken().getSymbol() == Scanner.Symbol.NOT) {
                consumeToken();
                return createAstUnary(eq(true), AstUnary.NOT);
            }
            return super.eq(required);
        }
    }
}
