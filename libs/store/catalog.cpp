// The 12 mysfits a fresh store starts with. Ids, names, species, ages and alignments are the
// workshop's (docs/dynamodb-table.md) so a table it loaded and ours hold the same ids;
// the descriptions are our own. Image URIs are relative to the website, so the same data
// works wherever the site is served.
#include "store/mysfit.hpp"

namespace mysfits::store {
namespace {

Mysfit make(std::string id, std::string name, std::string species, std::int64_t age,
            std::string good_evil, std::string law_chaos, const std::string& image,
            std::string description) {
  Mysfit m;
  m.id = std::move(id);
  m.name = std::move(name);
  m.species = std::move(species);
  m.description = std::move(description);
  m.age = age;
  m.good_evil = std::move(good_evil);
  m.law_chaos = std::move(law_chaos);
  m.thumb_image_uri = "images/" + image + "_thumb.svg";
  m.profile_image_uri = "images/" + image + "_profile.svg";
  return m;
}

std::vector<Mysfit> build_catalog() {
  return {
      make("4e53920c-505a-4a90-a694-b9300791f0ae", "Evangeline", "Chimera", 43, "Evil", "Lawful",
           "chimera",
           "Evangeline keeps a ledger of every favour anyone owes her, written in three "
           "different hands, one for each head. She is strict and punctual, and secretly loves "
           "a tea party as long as the guests respect the seating plan."),
      make("2b473002-36f8-4b87-954e-9a377e0ccbec", "Pauly", "Cyclops", 2, "Neutral", "Lawful",
           "cyclops",
           "Pauly is a toddler cyclops who lines his toys up by size before bedtime. One big "
           "eye, one big heart, and very firm opinions about whose turn it is."),
      make("0e37d916-f960-4772-a25a-01b762b5c1bd", "CoCo", "Dragon", 501, "Good", "Chaotic",
           "dragon",
           "CoCo is five centuries old and still cannot walk past a puddle without jumping in. "
           "She keeps the whole house warm on winter nights, and only occasionally the "
           "curtains."),
      make("da5303ae-5aba-495c-b5d6-eb5c4a66b941", "Gretta", "Gorgon", 31, "Evil", "Neutral",
           "gorgon",
           "Each of Gretta's snakes has a name and a favourite song. She wears sunglasses "
           "indoors as a courtesy to her guests, and her garden of remarkably lifelike statues "
           "is the envy of the street."),
      make("a901bb08-1985-42f5-bb77-27439ac14300", "Hasla", "Haetae", 2000000000, "Good", "Neutral",
           "haetae",
           "Hasla has watched over palace gates for longer than anyone can count and can tell "
           "right from wrong at a glance. Now retired, she would like a quiet home with a sunny "
           "doorstep to guard."),
      make("b41ff031-141e-4a8d-bb56-158a22bea0b3", "Snowflake", "Yeti", 13, "Evil", "Neutral",
           "yeti",
           "Snowflake is a moody teenage yeti who leaves snowballs on your pillow. Under the "
           "frost is a loyal friend who will build you an igloo the day you need one."),
      make("3f0f196c-4a7b-43af-9e29-6522a715342d", "Gary", "Kraken", 2709, "Neutral", "Chaotic",
           "kraken",
           "Gary means well, but he has eight arms and no plan. He can rearrange your kitchen "
           "in the blink of an eye, and he gives the best hugs in all the seas, several at "
           "once."),
      make("a68db521-c031-44c7-b5ef-bfa4c0850e2a", "Nessi", "Plesiosaurus", 75000000, "Neutral",
           "Neutral", "nessie",
           "Nessi is famously shy and has spent a very long time dodging cameras. She enjoys "
           "long swims in cold lakes and visitors who do not make a fuss."),
      make("c0684344-1eb7-40e7-b334-06d25ac9268c", "Atlantis", "Mandrake", 100, "Neutral",
           "Neutral", "mandrake",
           "Atlantis is a century-old mandrake who prefers to stay in his pot. Keep him watered "
           "and rested, and never pull him up without warning: his scream is legendary."),
      make("ac3e95f3-eb40-4e4e-a605-9fdd0224877c", "Twilight Glitter", "Pegasus", 6, "Good",
           "Lawful", "pegasus",
           "Twilight Glitter knows every rule of the sky, from right of way to bedtime. She will "
           "happily carry you above the clouds, as long as you hold on tight and say please."),
      make("33e1fbd4-2fd8-45fb-a42f-f92551694506", "Cole", "Phoenix", 1393, "Good", "Chaotic",
           "phoenix",
           "Cole has started over more times than he can remember and treats every fresh start "
           "as a party. Expect warmth, sparkle and the odd smoke alarm."),
      make("b6d16e02-6aeb-413c-b457-321151bb403d", "Rujin", "Troll", 221, "Evil", "Chaotic",
           "troll",
           "Rujin charges a toll on the little bridge to the garden and changes the price every "
           "day. Grumpy on the outside, he secretly presses wildflowers between the pages of "
           "his favourite books."),
  };
}

}  // namespace

const std::vector<Mysfit>& catalog() {
  static const std::vector<Mysfit> kCatalog = build_catalog();
  return kCatalog;
}

}  // namespace mysfits::store
