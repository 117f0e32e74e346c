/* images.h - small sound images for the tests of the logo: a PNG and a JPEG. */
#ifndef OBSERVA_TEST_IMAGES_H
#define OBSERVA_TEST_IMAGES_H

#include <stddef.h>

/* 96×48 RGB PNG: a magenta block with a white mark (a stand-in logo). */
extern const unsigned char LOGO_PNG[];
extern const size_t LOGO_PNG_SIZE;
/* 16×8 baseline JPEG, one colour (written by Pillow, quality 60). */
extern const unsigned char LOGO_JPEG[];
extern const size_t LOGO_JPEG_SIZE;

#endif /* OBSERVA_TEST_IMAGES_H */
