package io.cna4j.examples;

import io.cna4j.hazelcast.ClusterDiscoveryException;
import io.cna4j.circuit.CircuitFileException;
import io.cna4j.eval.data.DataFileException;
import io.cna4j.jlama.ModelLoadException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * How the command-line programs end on a mistake: one line on standard error, {@code cna-demo: <what is wrong>}, naming the option
 * or file; exit status {@value #USAGE} for a usage error (a bad option, or an option naming a file or folder that
 * cannot be used), {@value #FAILURE} for a failure while working (a model that cannot be loaded, a report that
 * cannot be written); the stack trace only with {@code --verbose}.
 *
 * {@snippet :
 * System.exit(CliErrors.commandLine(new TuneMain()).execute(args));
 * }
 */
final class CliErrors {
    /** Exit status of a usage error. */
    static final int USAGE = 2;
    /** Exit status of a failure. */
    static final int FAILURE = 1;

    private CliErrors() {}

    /** A picocli command line for {@code command} whose errors are reported by this class: one line, exit 2 or 1. */
    static CommandLine commandLine(Object command) {
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler(CliErrors::usageError);
        cl.setExecutionExceptionHandler(CliErrors::failure);
        return cl;
    }

    /** picocli's handler for a bad command line, and for {@link ParameterException}s thrown while validating. */
    static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        String message = e.getMessage();
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        report(cl, message, e);
        return USAGE;
    }

    /** picocli's handler for an exception thrown while working. */
    static int failure(Exception e, CommandLine cl, ParseResult parsed) {
        report(cl, describe(e), e);
        return FAILURE;
    }

    /** One line that says what went wrong, for the exception types a user can cause; a hint for any other. */
    static String describe(Throwable e) {
        if (e instanceof ModelLoadException || e instanceof DataFileException || e instanceof CircuitFileException
                || e instanceof IllegalArgumentException || e instanceof ClusterDiscoveryException) {
            return String.valueOf(e.getMessage());
        }
        if (e instanceof UncheckedIOException u) return describe(u.getCause());
        if (e instanceof IOException io) return describeIo(io);
        if (e instanceof OutOfMemoryError) return "out of memory (" + e.getMessage() + "); give java a larger -Xmx";
        return "internal error: " + e + " (rerun with --verbose for the stack trace)";
    }

    /** A file-system problem as {@code <file>: <what>}. */
    static String describeIo(IOException e) {
        if (e instanceof FileSystemException f) {
            String what = f.getReason() != null ? f.getReason()
                    : e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof NoSuchFileException ? "no such file or folder"
                    : e instanceof NotDirectoryException ? "not a folder"
                    : e.getClass().getSimpleName();
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + what;
        }
        return String.valueOf(e.getMessage());
    }

    private static void report(CommandLine cl, String message, Throwable e) {
        PrintWriter err = cl.getErr();
        err.println(cl.getCommandName() + ": " + oneLine(message));
        if (verbose(cl)) e.printStackTrace(err);
        err.flush();
    }

    private static String oneLine(String s) {
        return s.strip().replaceAll("\\s*\\R\\s*", "; ");
    }

    private static boolean verbose(CommandLine cl) {
        ParseResult r = cl.getParseResult();
        return r != null && r.hasMatchedOption("--verbose");
    }
}
