"""The gate's false positives on honest input: a third real corpus (tests/corpus_world: en -> ko,
ru, uk, es, pt-br, tr, vi, pl, it, nl), every report read by hand, and what it taught the gate.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest
from test_block_alignment import ENGINES, GFM, PYTHON_MARKDOWN, body_of, reading

from bench.gate_corpus import planted_omissions
from press.content.tree import scan_tree
from press.html.render import render_markdown
from press.problems import ProblemCollector
from press.translation.alignment import align, make_block
from press.translation.fidelity import lacks
from press.translation.parity import ParityChecker

HERE = Path(__file__).parent
WORLD = HERE / "corpus_world"
LANGUAGES = ["en", "ko", "ru", "uk", "es", "pt-br", "tr", "vi", "pl", "it", "nl"]

# -- the corpus as it is -------------------------------------------------------------------------

# Translations of tests/corpus_world that really lack what the message names (checked by hand):
WORLD_KNOWN_OMISSIONS = {
    # made from an older, shorter English: no paragraph on the accumulator, and 46% of the usual
    # text (its opening and the three parts of the loop are a line each)
    "articles/javascripting-for-loop-uk/uk.md",
    # no "Check to see if your program is correct by running this command:" and its command
    "articles/learnyounode-juggling-async-es/es.md",
    # no "To learn more about callbacks, check out: https://github.com/maxogden/art-of-node#callbacks"
    # (a bare address: a link to GitHub Flavored Markdown, text to Python-Markdown)
    "articles/learnyounode-my-first-async-io-es/es.md",
}
WORLD_TITLES_LEFT_IN_ENGLISH = {
    f"articles/learnyounode-{name}/{name.rsplit('-', 1)[1]}.md"
    for name in (
        "baby-steps-uk",
        "baby-steps-vi",
        "http-client-uk",
        "http-client-vi",
        "http-file-server-ru",
        "http-json-api-server-ru",
        "http-uppercaserer-uk",
        "http-uppercaserer-vi",
        "my-first-io-ru",
    )
}
# Translations the gate reported falsely before it was taught otherwise (the reader of each finds
# everything the message said was missing), each with the test of its fix:
WORLD_FALSE_POSITIVES_FIXED = {
    # "For example, … .txt" ends the first paragraph, "Note that …" is a paragraph of its own:
    # test_two_paragraphs_whose_break_moved_lack_nothing
    "articles/learnyounode-filtered-ls-es/es.md",
    # "Use console.log() …" and "Check to see if your program is correct …" are both there (only
    # "Pay close attention to the syntax" is not): test_the_paragraph_before_a_command_is_found
    "articles/javascripting-array-filtering-it/it.md",
}


def check_world(engine) -> tuple[ProblemCollector, int]:
    return check_corpus(WORLD, LANGUAGES, engine)


def long_paragraphs_deleted(root: Path, known: set[str]) -> tuple[list, set, set]:
    """Each paragraph of 40 words or more of a corpus's complete translations deleted in turn: what
    was planted, what went unreported and what was reported under a neighbour's words."""
    planted = list(planted_omissions(root, GFM, 40, float("inf"), skip=known))
    for one in planted:
        assert not one.message or one.message.startswith("lacks "), (one.key, one.beginning)
    missed = {(one.key, one.beginning) for one in planted if not one.message}
    misnamed = {(one.key, one.beginning) for one in planted if one.message and not one.named}
    return planted, missed, misnamed


def check_corpus(root: Path, languages: list[str], engine) -> tuple[ProblemCollector, int]:
    """The parity rules over a real corpus as a build runs them: its problems, and how many translations."""
    problems = ProblemCollector()
    tree = scan_tree(str(root), languages, problems)

    def render(body):
        return render_markdown(engine, body)

    ParityChecker(tree, problems, now=datetime.datetime(2030, 1, 1), render=render).run()
    translations = [v for g in tree.groups.values() for v in g.versions.values() if v.is_translation]
    return problems, len(translations)


@ENGINES
def test_the_world_corpus_reports_only_what_translations_lack(engine):
    problems, translations = check_world(engine)
    assert translations == 31
    flagged = {p.path for p in problems.of_kind("incomplete")}
    bare_link = {"articles/learnyounode-my-first-async-io-es/es.md"} if engine is PYTHON_MARKDOWN else set()
    assert flagged == WORLD_KNOWN_OMISSIONS - bare_link
    assert not flagged & WORLD_FALSE_POSITIVES_FIXED
    # the exercise titles the ru, uk and vi translators left in English capitals: the contract's
    # "title unchanged" (es, it, pt-br… translated theirs; HTTP, JSON, API, I/O stay as names)
    assert {p.path for p in problems.of_kind("untranslated")} == WORLD_TITLES_LEFT_IN_ENGLISH
    for problem in problems.of_kind("incomplete"):
        assert "lacks " in problem.message


# -- a moved paragraph break ---------------------------------------------------------------------

ORIGINAL = """
Create a program that prints a list of files in a given directory, filtered by the extension of
the files. You will be given a directory name as the first argument to your program and a file
extension to filter by as the second argument.

For example, if you get 'txt' as the second argument then you will need to filter the list to
only files that **end with .txt**. Note that the second argument _will not_ come prefixed with a '.'.

The list of files should be printed to the console, one file per line. You **must** use
asynchronous I/O.
"""

# the example joins the first paragraph; the note is a paragraph of its own
MOVED_BREAK = """
Scrivi un programma che stampi l'elenco dei file di una cartella, filtrati per estensione. Il
primo argomento è il nome della cartella e il secondo l'estensione da filtrare: per esempio, se
ricevi 'txt' dovrai stampare soltanto i file che **finiscono con .txt**.

Nota: il secondo argomento _non_ comincia con un '.'.

L'elenco dei file va stampato sulla console, un file per riga. **Devi** usare l'I/O asincrono.
"""


@ENGINES
def test_two_paragraphs_whose_break_moved_lack_nothing(engine):
    assert lacks(reading(ORIGINAL, engine), reading(MOVED_BREAK, engine), "en", "it") == []


def test_a_moved_break_is_one_pair_of_two_paragraphs():
    original = reading(ORIGINAL).aligned_blocks("en")
    translation = reading(MOVED_BREAK).aligned_blocks("it")
    assert align(original, translation).pairs == [((0, 1), (0, 1)), ((2,), (2,))]


def test_complete_translations_keep_their_pairs_one_to_one():
    """Two for two only where the pairs do not fit alone: in the corpus, twice.

    (The PO export pairs segments one to one: a needless two for two would lose two pairs.)
    """
    moved = set()
    for folder in sorted((WORLD / "articles").iterdir()):
        (path,) = [p for p in folder.glob("*.md") if p.stem != "en"]
        original = reading(body_of(folder / "en.md")).aligned_blocks("en")
        translation = reading(body_of(path)).aligned_blocks(path.stem)
        for mine, theirs in align(original, translation).pairs:
            if len(mine) > 1 and len(theirs) > 1:
                moved.add((folder.name, mine, theirs))
    assert moved == {
        ("learnyounode-filtered-ls-es", (0, 1), (0, 1)),
        # "This method rounds either up or down to the nearest integer." is not translated:
        # as one pair the two fit (and neither is reported left out: both are there)
        ("javascripting-rounding-numbers-es", (5, 6), (5, 6)),
    }


def test_two_for_two_never_reports_one_of_them_left_out():
    """A join whose translation covers one block only lacks the other; two for two has both."""
    folder = WORLD / "articles/javascripting-rounding-numbers-es"
    original, translation = reading(body_of(folder / "en.md")), reading(body_of(folder / "es.md"))
    assert lacks(original, translation, "en", "es") == []


def test_a_moved_break_is_only_between_paragraphs():
    """A heading that took in the end of the paragraph before it is not one pair with it."""
    original = [
        make_block("paragraph", "x " * 40, 40.0),
        make_block("heading", "Hints", 1.0),
        make_block("paragraph", "p " * 20, 20.0),
    ]
    translation = [
        make_block("paragraph", "y " * 30, 30.0),
        make_block("heading", "z " * 11, 11.0),
        make_block("paragraph", "q " * 20, 20.0),
    ]
    pairs = align(original, translation).pairs
    assert all(len(mine) < 2 or len(theirs) < 2 for mine, theirs in pairs)


# -- the paragraph that leads into a code block ---------------------------------------------------

COMMAND = """
The function that you pass to the `.filter()` method will look something like this:

```js
function evenNumbers (number) {
  return number % 2 === 0
}
```

Pay close attention to the syntax used throughout your solution. Use `console.log()` to print the
`filtered` array to the terminal.

Check to see if your program is correct by running this command:

```bash
javascripting verify array-filtering.js
```
"""

# one sentence shorter: "Pay close attention …" is not translated
COMMAND_IT = """
La funzione che passerai al metodo `.filter()` dovrà apparire come segue:

```js
function evenNumbers (number) {
  return number % 2 === 0
}
```

Usa `console.log()` per stampare l'array `filtered` sul terminale.

Verifica che il tuo programma sia corretto eseguendo questo comando:

```bash
javascripting verify array-filtering.js
```
"""


@ENGINES
def test_the_paragraph_before_a_command_is_found(engine):
    """Two short pairs cost more than an omission and a join: the anchors of the paragraph that
    leads into the command (its code block) find its translation in the join."""
    assert lacks(reading(COMMAND, engine), reading(COMMAND_IT, engine), "en", "it") == []


@ENGINES
def test_a_paragraph_leads_into_the_code_block_after_it(engine):
    blocks = reading(COMMAND, engine).aligned_blocks("en")
    assert ["before:code" in block.kept for block in blocks] == [True, False, True]
    listed = reading("- an item that says:\n\n  ```\n  code\n  ```\n\nA paragraph.\n", engine)
    assert all("before:code" not in block.kept for block in listed.aligned_blocks("en"))


@ENGINES
def test_a_command_paragraph_deleted_is_still_reported(engine):
    without = COMMAND_IT.replace(
        "Verifica che il tuo programma sia corretto eseguendo questo comando:\n\n", ""
    )
    found = "; ".join(lacks(reading(COMMAND, engine), reading(without, engine), "en", "it"))
    # (which one, the short text cannot tell: its paragraph before it now leads into the command)
    assert found.startswith("lacks paragraph ")


# -- a paragraph is not an item and a paragraph ---------------------------------------------------


CONTRACT = """
These four things are the contract that your module must follow.

1. Export a single function that takes exactly the arguments described.
2. Call the callback exactly once with an error or some data as described.
3. Don't change anything else, like global variables or stdout.
4. Handle all the errors that may occur and pass them to the callback.

The benefit of having a contract is that your module can be used by anyone who expects this
contract. So your module could be used by anyone else who does learnyounode, or the verifier, and
just work.

## HINTS
"""

# learnyounode's MAKE IT MODULAR in Norwegian (nb-no, 4.2.2): the last paragraph condensed
CONTRACT_NB = """
Disse fire ting er kontrakten mellom modulen din og den som skal bruke den:
1. Eksporter en funksjon som tar imot argumentene som er nevnt.
2. Kall callback funksjon kun en gang med enten en feil eller dataene som er beskrevet.
3. Du skal ikke endre noe annet som for eksempel globale variabler eller stdout.
4. Håndter alle feil som kan oppstå og send de til callback funksjonen

Fordelen med en kontrakt er at modulen kan bli benyttet av alle som forventer den samme kontrakten.

## HINT
"""


def test_a_paragraph_is_not_joined_from_a_list_item_and_the_paragraph_after_it():
    """Pairing the last item and the condensed paragraph with the paragraph skipped the third item
    (GitHub Flavored Markdown: a list may follow a paragraph without a blank line)."""
    assert lacks(reading(CONTRACT), reading(CONTRACT_NB), "en", "nb-no") == []
    original, translation = (
        reading(CONTRACT).aligned_blocks("en"),
        reading(CONTRACT_NB).aligned_blocks("nb-no"),
    )
    assert align(original, translation).pairs == [((i,), (i,)) for i in range(7)]


# -- a paragraph condensed in its place ------------------------------------------------------------

# learnyounode's HTTP UPPERCASERER and its Spanish translation (4.2.2), the last paragraphs
OFFLINE = """
If you don't have an Internet connection, simply make a `node_modules` directory and copy the
entire directory for the module you want to use from inside the {appname} installation directory:

  {rootdir:/node_modules/through2-map}

Documentation for through2-map has been installed along with {appname} on your system and you can
read them by pointing your browser here:

  {rootdir:/docs/through2-map.html}
"""

OFFLINE_ES = """
En caso de no tener conexión a Internet, simplemente crea una carpeta `node_modules` y copia el
paquete desde el directorio de instalación de {appname}, es decir:

  {rootdir:/node_modules/through2-map}

La documentación del paquete `through2-map` puede verse en:

  {rootdir:/docs/through2-map.html}
"""


@ENGINES
def test_a_paragraph_condensed_in_its_place_is_there(engine):
    """Between the same neighbours, the translation's paragraph is the original's, shortened: a
    pair too short to align (a quarter of the usual length or more) is still no omission."""
    assert lacks(reading(OFFLINE, engine), reading(OFFLINE_ES, engine), "en", "es") == []


@ENGINES
def test_a_long_paragraph_condensed_in_its_place_is_named_as_half_missing(engine):
    original = OFFLINE.replace("read them by pointing your browser here:", LONG + " Read them here:")
    translation = OFFLINE_ES.replace(
        "puede verse en:", "se instaló junto con {appname} en tu sistema y puede verse en:"
    )
    found = "; ".join(lacks(reading(original, engine), reading(translation, engine), "en", "es"))
    assert found.startswith("lacks most of paragraph 3 of 4, which begins 'Documentation for through2-map")


@ENGINES
def test_a_paragraph_replaced_by_a_few_words_is_missing(engine):
    """Less than a quarter of the usual length is a note in its place, not the paragraph."""
    replaced = OFFLINE_ES.replace("La documentación del paquete `through2-map` puede verse en:", "Ver:")
    found = "; ".join(lacks(reading(OFFLINE, engine), reading(replaced, engine), "en", "es"))
    assert "lacks paragraph 3 of 4, which begins 'Documentation for through2-map" in found


LONG = (
    "Its README explains every option of the map function, what it does with an error thrown inside it, "
    "and how it ends the stream when the input ends."
)


# learnyounode's MAKE IT MODULAR in Polish (pl, 4.2.2): the translator left the English sentence
# and wrote a longer one after it, with code
NAMED = """
## HINTS

Create a new module by creating a new file that just contains your directory reading and filtering
function. To define a *single function* *export*, you assign your function to the `module.exports`
object, overwriting what is already there:

```js
module.exports = function (args) { /* ... */ }
```

Or you can use a named function and assign the name.

To use your new module in your original program file, use the `require()` call in the same way that
you `require('fs')` to load the `fs` module. The only difference is that for local modules must be
prefixed with './'. So, if your file is named mymodule.js then:
"""

NAMED_PL = """
## WSKAZÓWKI

Nowy moduł utworzysz przez zapisanie nowego pliku, zawierającego funkcję odczytującą katalog i
filtrującą dane. Aby *wyeksportować* *pojedynczą funkcję*, przypisz ją do obiektu `module.exports`,
nadpisując to, co już się tam znajduje.

```js
module.exports = function (args) { /* ... */ }
```

Or you can use a named function and assign the name.
Możesz też użyć funkcji nazwanej (`function foo (args) { /* ... */ }`) i przypisać jej nazwę
(`module.exports = foo`).

Aby użyć Twojego nowego modułu w pierwotnym pliku programu, wywołaj `require()` w takim sam sposób
jak `require('fs')` do wczytania modułu `fs`. Jedyna różnica tkwi w tym, że lokalne moduły muszą
zostać poprzedzone `./`. Jeżeli zatem Twój plik ma nazwę `mymodule.js`:
"""


@ENGINES
def test_a_paragraph_left_out_of_a_join_is_the_one_beside_it(engine):
    """A join that covers one of its paragraphs only lacks the other, unless the translation's
    paragraph right beside the join, left alone, can be it (here more than twice as long)."""
    assert lacks(reading(NAMED, engine), reading(NAMED_PL, engine), "en", "pl") == []


# learnyounode's TIME SERVER in Spanish (es, 4.2.2): every paragraph condensed to about half
SERVER = """
A typical Node TCP server looks like this:

```js
var net = require('net')
var server = net.createServer(function (socket) {
  // socket handling logic
})
server.listen(8000)
```

Remember to use the port number supplied to you as the first command-line argument.

The `socket` object contains a lot of meta-data regarding the connection, but it is also a Node
duplex Stream, in that it can be both read from, and written to. For this exercise we only need to
write data and then close the socket.

Use `socket.write(data)` to write data to the socket and `socket.end()` to close the socket.
Alternatively, the `.end()` method also takes a data object so you can simplify to just:
`socket.end(data)`.
"""

SERVER_ES = """
Un ejemplo de un servidor Node típico es como sigue:

```js
const net = require('net')
const server = net.createServer(function (socket) {
  // manejo del socket
})
server.listen(8000)
```

Recuerda usar el puerto recibido por argumento.

El objeto `socket` contiene información sobre la conexión y es un Stream duplex, es decir que se
puede escribir y leer a la vez.

Puedes usar `socket.write(data)` para escribir en el socket y luego `socket.end()` para cerrar el
socket. Alternativamente, el método `end()` puede recibir un objeto de datos `socket.end(data)`.
"""


@ENGINES
def test_a_short_paragraph_condensed_beside_a_split_is_there(engine):
    """Two short pairs cost more than an omission and a split: the translation's paragraph on the
    omission's side of the split, and the rest of the split, both fit by length."""
    assert lacks(reading(SERVER, engine), reading(SERVER_ES, engine), "en", "es") == []


def test_a_split_that_keeps_what_the_missing_paragraph_does_not_covers_nothing():
    """learnyounode's HTTP JSON API SERVER in Portuguese lacks "Check to see if your program is
    correct…" (which leads into the command); the last sentence of the paragraph before it, made a
    paragraph of its own with its code, is not that paragraph."""
    original = reading(
        "The JavaScript `Date` object can print dates in ISO format, e.g. `new Date().toISOString()`.\n"
        "It can also parse this format if you pass the string into the `Date` constructor.\n"
        "`Date.getTime()` will also come in handy.\n\n"
        "Check to see if your program is correct by running this command:\n\n"
        "```sh\n$ {appname} verify http-json-api-server.js\n```\n"
    )
    translation = reading(
        "O objeto `Date` do JavaScript pode imprimir datas no formato ISO, por exemplo\n"
        "`new Date().toISOString()`. Também pode converter esse formato se você passar a string\n"
        "para o construtor de `Date`.\n\n"
        "`Date.getTime()` também pode ser útil.\n"
    )
    found = "; ".join(lacks(original, translation, "en", "pt-br"))
    assert "which begins 'Check to see if your program is correct by running this…'" in found


# -- Vietnamese is counted in syllables ---------------------------------------------------------


def test_vietnamese_translations_are_weighed_like_the_other_languages():
    """Vietnamese writes a space between syllables: its translations run to 1.44 words per English
    word (tests/corpus_world). Counted as English, the alignment took them for 25% too long
    (the most RATIO_RANGE allows) and paired their paragraphs one off."""
    from press.translation.fidelity import english_equivalent

    ratios = []
    for folder in sorted((WORLD / "articles").glob("*-vi")):
        original = english_equivalent(reading(body_of(folder / "en.md")), "en")
        ratios.append(english_equivalent(reading(body_of(folder / "vi.md")), "vi") / original)
    assert len(ratios) == 3
    assert all(0.85 <= ratio <= 1.15 for ratio in ratios), ratios


@ENGINES
@pytest.mark.parametrize(
    "deleted",
    [
        "Scrivi un programma",  # the first paragraph, with the example
        "Nota: il secondo",  # the note: the second paragraph's last sentence
        "L'elenco dei file",  # the last paragraph
    ],
)
def test_a_paragraph_deleted_beside_a_moved_break_is_still_reported(engine, deleted):
    paragraphs = MOVED_BREAK.strip().split("\n\n")
    without = "\n\n".join(p for p in paragraphs if not p.startswith(deleted))
    found = lacks(reading(ORIGINAL, engine), reading(without, engine), "en", "it")
    assert found and found[0].startswith("lacks paragraph ")


# -- omissions planted in the corpus -------------------------------------------------------------

# Paragraphs of 40 words or more whose deletion the gate does not report: the translation runs
# long there, and the deletion is absorbed by joins on either side of it (two paragraphs of the
# original for one of the translation, then one for two), each of which fits by length. (Before
# this test, http-file-server-tr's "Bu alıştırma da TCP sunucusu…" was missed too: the code block
# its neighbour leads into now anchors it; 42 of 43 are reported.)
KNOWN_MISSED_DELETIONS = {
    ("learnyounode-http-client-vi", "Trong đó đối tượng response là một đối t"),
}

# Deletions reported, but the message quotes a neighbour of the paragraph deleted (as before the
# moved break was taught): translations that are themselves a paragraph behind or ahead there.
KNOWN_MISNAMED_DELETIONS = {
    ("learnyounode-baby-steps-uk", "Вам слід подумати про те, як пройтись по"),
    ("learnyounode-baby-steps-uk", "{appname} буде самостійно вставляти аргу"),
    ("learnyounode-http-file-server-tr", "şeklindedir. Bu fonksiyonda argüman olar"),
    ("learnyounode-http-json-api-server-tr", "'/api/unixtime' adresi için ikinci bir f"),
}


def test_deleting_any_paragraph_of_40_words_is_incomplete_and_quotes_it():
    """Each paragraph of 40 words or more of a complete translation, deleted in turn, is named."""
    planted, missed, misnamed = long_paragraphs_deleted(WORLD, WORLD_KNOWN_OMISSIONS)
    assert len(planted) >= 30
    assert missed <= KNOWN_MISSED_DELETIONS, missed
    assert misnamed <= KNOWN_MISNAMED_DELETIONS, misnamed
