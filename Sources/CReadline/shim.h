// GNU readline for Swift. Swift 6 may not assign readline's global C variables directly
// ("not concurrency-safe"), so the few settings bnlab needs are small setter functions here.
#ifndef BNLAB_CREADLINE_SHIM_H
#define BNLAB_CREADLINE_SHIM_H

#include <stdio.h>
#include <readline/readline.h>
#include <readline/history.h>

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

#endif
