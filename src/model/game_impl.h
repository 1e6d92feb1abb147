/* model/game: what its files share and nothing else uses. */
#ifndef RP_GAME_IMPL_H
#define RP_GAME_IMPL_H

#include "model/game.h"

/* The strategy as probabilities of cooperating after the last round was CC,
** CD, DC or DD (own move first; index own*2 + partner's, C = 0, D = 1), and
** in the first round (index 4); q is GTFT's forgiveness. */
void game_memory_one(game_strategy s, double q, double p[5]);

#endif
