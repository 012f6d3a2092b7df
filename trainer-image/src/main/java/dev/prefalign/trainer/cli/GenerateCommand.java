package dev.prefalign.trainer.cli;

import ai.djl.ndarray.NDManager;
import dev.prefalign.trainer.data.Message;
import dev.prefalign.trainer.generate.Generator;
import dev.prefalign.trainer.job.JobException;
import dev.prefalign.trainer.model.CausalLm;
import dev.prefalign.trainer.model.ModelStore;
import dev.prefalign.trainer.tokenizer.TextTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Complete a prompt with a model folder: greedy by default, sampled with --temperature > 0.")
final class GenerateCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model folder in HF layout.")
    Path model;

    @Option(names = "--prompt", required = true, description = "The user message (or raw text with --raw).")
    String prompt;

    @Option(names = "--raw", description = "Feed the prompt as it is instead of through the chat template.")
    boolean raw;

    @Option(names = "--max-new-tokens", defaultValue = "64", description = "Default: ${DEFAULT-VALUE}.")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "0", description = "0 = greedy. Default: ${DEFAULT-VALUE}.")
    double temperature;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus sampling mass. Default: ${DEFAULT-VALUE}.")
    double topP;

    @Option(names = "--seed", defaultValue = "0", description = "Sampling seed. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Override
    public Integer call() throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch");
                TextTokenizer tokenizer = loadTokenizer();
                CausalLm lm = load(manager)) {
            int[] ids;
            if (raw || tokenizer.chatTemplate().isEmpty()) {
                ids = tokenizer.encode(prompt, true);
            } else {
                String text = tokenizer.chatTemplate().get().render(List.of(new Message("user", prompt)), true);
                ids = tokenizer.encode(text, false);
            }
            int[] out = new Generator(lm).generate(ids, tokenizer.eosId(),
                    new Generator.Settings(maxNewTokens, temperature, topP, seed));
            System.out.println(tokenizer.decode(out, true));
        }
        return ExitCodes.OK;
    }

    /** A wrong --model is bad input (exit 2), whichever of its files is missing. */
    private TextTokenizer loadTokenizer() throws JobException {
        try {
            return TextTokenizer.load(model);
        } catch (IOException e) {
            throw new JobException("--model: " + e.getMessage(), e);
        }
    }

    private CausalLm load(NDManager manager) throws JobException {
        try {
            return ModelStore.load(model, manager);
        } catch (IOException e) {
            throw new JobException("--model: " + e.getMessage(), e);
        }
    }
}
