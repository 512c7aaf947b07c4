// GNU readline for Swift. Swift 6 may not assign readline's global C variables directly
// ("not concurrency-safe"), so the few settings bnlab needs are small setter functions here.
#ifndef BNLAB_CREADLINE_SHIM_H
#define BNLAB_CREADLINE_SHIM_H

#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

/* Glibc's stdout/stderr are mutable C globals, which Swift 6 refuses to read directly. */
static inline FILE *bnlab_stdout(void) { return stdout; }
static inline FILE *bnlab_stderr(void) { return stderr; }

static inline void bnlab_rl_set_outstream(FILE *stream) { rl_outstream = stream; }
static inline void bnlab_rl_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void bnlab_rl_set_completer(rl_completion_func_t *f) { rl_attempted_completion_function = f; }
static inline void bnlab_rl_set_word_break_characters(const char *chars) {
    rl_basic_word_break_characters = (char *)chars;
}
static inline void bnlab_rl_set_completion_append_character(int c) { rl_completion_append_character = c; }
static inline void bnlab_rl_suppress_filename_completion(void) { rl_attempted_completion_over = 1; }
static inline const char *bnlab_rl_line_buffer(void) { return rl_line_buffer; }
static inline void bnlab_rl_set_catch_sigwinch(int on) { rl_catch_sigwinch = on; }
static inline void bnlab_rl_set_completer_quote_characters(const char *chars) {
    rl_completer_quote_characters = chars;
}
/* Non-zero while completing inside a quoted string: bnlab then lets readline complete file names. */
static inline int bnlab_rl_completion_quote_character(void) { return rl_completion_quote_character; }
static inline int bnlab_rl_point(void) { return rl_point; }
/* readline's key reader, replaced so Ctrl-C can end a read that waits inside a statement. */
static inline void bnlab_rl_set_getc(rl_getc_func_t *f) { rl_getc_function = f; }

/* Multi-line entries (a statement typed over several prompts) survive the history file: with
   timestamps written, readline reads the lines between two stamps back as one entry. add_history
   stamps an entry only when the comment character is set, as bash sets it. */
static inline void bnlab_history_keep_multiline_entries(void) {
    history_comment_char = '#';
    history_write_timestamps = 1;
    history_multiline_entries = 1;
}

#endif
