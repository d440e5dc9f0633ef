// Header-only shims over FLINT 2.9 (Debian's libflint-dev) for memcert.
//
// Swift sees FLINT's matrix types and functions directly; the shims below give
// plain C signatures to what FLINT spells as macros or as operations on a
// single fmpz, and move integers in and out as little-endian 64-bit words so
// that no Swift module needs GMP's types from FLINT.
#ifndef MEMCERT_CFLINT_SHIM_H
#define MEMCERT_CFLINT_SHIM_H

#include <stdint.h>
#include <string.h>
#include <flint/flint.h>
#include <flint/fmpz.h>
#include <flint/fmpz_vec.h>
#include <flint/fmpz_mat.h>
#include <flint/nmod_mat.h>
#include <flint/ulong_extras.h>

// MARK: - Single integers

static inline fmpz *_Nonnull cflint_mat_entry(fmpz_mat_struct *_Nonnull m, long i, long j) { return fmpz_mat_entry(m, i, j); }
static inline void cflint_set_si(fmpz *f, long v) { fmpz_set_si(f, v); }
/// Sets f to ±Σ words[k] 2^(64k).
static inline void cflint_set_words(fmpz *f, const uint64_t *words, long count, int negative) {
    fmpz_set_ui_array(f, (const mp_limb_t *)words, count);
    if (negative) fmpz_neg(f, f);
}
static inline int cflint_sgn(const fmpz *f) { return fmpz_sgn(f); }
static inline int cflint_fits_si(const fmpz *f) { return fmpz_fits_si(f); }
static inline long cflint_get_si(const fmpz *f) { return fmpz_get_si(f); }
/// Number of 64-bit words of |f| (0 for 0).
static inline long cflint_word_count(const fmpz *f) { return (long)fmpz_size(f); }
/// Writes |f| into `count` >= cflint_word_count(f) words, least significant first.
static inline void cflint_get_words(uint64_t *words, long count, const fmpz *f) {
    memset(words, 0, (size_t)count * sizeof(uint64_t));
    if (!COEFF_IS_MPZ(*f)) {
        if (count > 0) words[0] = (uint64_t)FLINT_ABS(*f);
    } else {
        __mpz_struct *z = COEFF_TO_PTR(*f);
        long n = FLINT_ABS(z->_mp_size);
        memcpy(words, z->_mp_d, (size_t)FLINT_MIN(n, count) * sizeof(uint64_t));
    }
}

// MARK: - Word matrices modulo a prime

static inline mp_limb_t cflint_nmod_entry(const nmod_mat_struct *m, long i, long j) { return nmod_mat_entry(m, i, j); }

#endif
