"""Small texts written for the prompt guards: an argument and a story in each language with
templates, a play, verse, and texts full of abbreviations and markup."""

from __future__ import annotations

ARGUMENTS: dict[str, list[str]] = {
    "en": [
        "A cooperative is an association of people who meet their common needs through a "
        "business they own together. Its members decide by vote, one member one vote, "
        "whatever each has put in.\n\n"
        "Critics say that such firms cannot grow, because nobody can sell a share at a "
        "profit. Yet the oldest cooperatives have lasted for more than a century, and "
        "they survived crises that ruined their rivals.\n\n"
        "Therefore the question is not whether cooperatives can last, but what they must "
        "give up in order to last. A cooperative that hires workers who are not members "
        "slowly becomes an ordinary employer.",
        "Education, on this view, is the practice of freedom rather than the transfer of "
        "facts. A teacher who only deposits knowledge in passive students teaches them to "
        "obey.\n\n"
        "Three habits mark a free classroom: questions come from the students, answers are "
        "tested together, and the teacher admits what she does not know. None of them "
        "is easy, and each takes time away from the syllabus.\n\n"
        "Some objections deserve an answer. Examinations reward memory, and parents want "
        "grades. But a school that prepares only for examinations prepares nobody for a "
        "life in which the questions are not set in advance.",
    ],
    "it": [
        "La cooperazione è una forma di impresa in cui i soci decidono insieme, con un voto "
        "a testa, qualunque sia la quota che hanno versato. Nasce dal bisogno comune e non "
        "dal profitto.\n\n"
        "I critici sostengono che una cooperativa non può crescere, perché nessuno vende la "
        "propria quota con un guadagno. Eppure le cooperative più antiche durano da oltre "
        "un secolo e hanno superato crisi che hanno rovinato i loro concorrenti.\n\n"
        "Perciò la domanda non è se la cooperazione possa durare, ma che cosa debba cedere "
        "per durare. Una cooperativa che assume lavoratori senza farli soci diventa piano "
        "piano un padrone come gli altri.",
        "L'educazione, secondo questa idea, è la pratica della libertà e non il travaso di "
        "nozioni. Un maestro che deposita il sapere in allievi passivi insegna soltanto a "
        "obbedire.\n\n"
        "Tre abitudini segnano una classe libera: le domande vengono dagli allievi, le "
        "risposte si verificano insieme e il maestro ammette ciò che non sa. Nessuna di "
        "queste è facile, e ognuna toglie tempo al programma.\n\n"
        "Alcune obiezioni meritano una risposta. Gli esami premiano la memoria e i genitori "
        "vogliono i voti. Ma una scuola che prepara solo agli esami non prepara nessuno a "
        "una vita in cui le domande non sono decise in anticipo.",
    ],
    "es": [
        "Una cooperativa es una asociación de personas que atienden sus necesidades comunes "
        "mediante una empresa de propiedad conjunta. Sus socios deciden por votación, un "
        "socio un voto, sea cual sea su aportación.\n\n"
        "Los críticos dicen que estas empresas no pueden crecer, porque nadie vende su parte "
        "con ganancia. Sin embargo, las cooperativas más antiguas han durado más de un siglo "
        "y han sobrevivido a crisis que arruinaron a sus rivales.\n\n"
        "Por eso la pregunta no es si las cooperativas pueden durar, sino qué deben ceder "
        "para durar. Una cooperativa que contrata trabajadores sin hacerlos socios se "
        "convierte poco a poco en un patrón como los demás.",
        "La educación, según esta idea, es la práctica de la libertad y no la transmisión de "
        "datos. Un maestro que deposita el saber en alumnos pasivos les enseña a "
        "obedecer.\n\n"
        "Tres costumbres marcan un aula libre: las preguntas vienen de los alumnos, las "
        "respuestas se comprueban juntos y el maestro admite lo que no sabe. Ninguna de "
        "ellas es fácil, y cada una quita tiempo al programa.\n\n"
        "Algunas objeciones merecen respuesta. Los exámenes premian la memoria y los padres "
        "quieren notas. Pero una escuela que solo prepara para los exámenes no prepara a "
        "nadie para una vida en la que las preguntas no están fijadas de antemano.",
    ],
    "fr": [
        "Une coopérative est une association de personnes qui répondent à leurs besoins "
        "communs par une entreprise qu'elles possèdent ensemble. Ses membres décident par "
        "un vote, un membre une voix, quel que soit leur apport.\n\n"
        "Les critiques affirment que ces entreprises ne peuvent pas grandir, parce que "
        "personne ne revend sa part avec un bénéfice. Pourtant les plus anciennes "
        "coopératives durent depuis plus d'un siècle et ont traversé des crises qui ont "
        "ruiné leurs rivales.\n\n"
        "Donc la question n'est pas de savoir si les coopératives peuvent durer, mais ce "
        "qu'elles doivent céder pour durer. Une coopérative qui embauche des salariés sans "
        "en faire des membres devient peu à peu un patron comme les autres.",
        "L'éducation, selon cette idée, est la pratique de la liberté et non le transfert "
        "de connaissances. Un maître qui dépose le savoir dans des élèves passifs leur "
        "apprend à obéir.\n\n"
        "Trois habitudes marquent une classe libre : les questions viennent des élèves, "
        "les réponses sont vérifiées ensemble et le maître avoue ce qu'il ne sait pas. "
        "Aucune n'est facile, et chacune prend du temps au programme.\n\n"
        "Certaines objections méritent une réponse. Les examens récompensent la mémoire et "
        "les parents veulent des notes. Mais une école qui ne prépare qu'aux examens ne "
        "prépare personne à une vie où les questions ne sont pas fixées d'avance.",
    ],
    "de": [
        "Eine Genossenschaft ist ein Zusammenschluss von Menschen, die ihre gemeinsamen "
        "Bedürfnisse durch ein Unternehmen decken, das ihnen gemeinsam gehört. Ihre "
        "Mitglieder entscheiden durch Abstimmung, ein Mitglied eine Stimme.\n\n"
        "Kritiker sagen, dass solche Betriebe nicht wachsen können, weil niemand seinen "
        "Anteil mit Gewinn verkauft. Doch die ältesten Genossenschaften bestehen seit mehr "
        "als einem Jahrhundert und haben Krisen überstanden, die ihre Konkurrenten "
        "ruinierten.\n\n"
        "Deshalb lautet die Frage nicht, ob Genossenschaften dauern können, sondern was sie "
        "aufgeben müssen, um zu dauern. Eine Genossenschaft, die Arbeiter einstellt, ohne "
        "sie zu Mitgliedern zu machen, wird langsam zu einem gewöhnlichen Arbeitgeber.",
        "Bildung ist nach dieser Auffassung die Praxis der Freiheit und nicht die "
        "Übertragung von Tatsachen. Ein Lehrer, der Wissen in passive Schüler legt, lehrt "
        "sie nur zu gehorchen.\n\n"
        "Drei Gewohnheiten kennzeichnen eine freie Klasse: Die Fragen kommen von den "
        "Schülern, die Antworten werden gemeinsam geprüft, und die Lehrerin gibt zu, was "
        "sie nicht weiß. Keine davon ist leicht, und jede kostet Zeit.\n\n"
        "Manche Einwände verdienen eine Antwort. Prüfungen belohnen das Gedächtnis, und "
        "Eltern wollen Noten. Aber eine Schule, die nur auf Prüfungen vorbereitet, bereitet "
        "niemanden auf ein Leben vor, in dem die Fragen nicht im Voraus feststehen.",
    ],
    "pt": [
        "Uma cooperativa é uma associação de pessoas que atendem às suas necessidades comuns "
        "por meio de uma empresa que possuem em conjunto. Os seus sócios decidem por voto, "
        "um sócio um voto, seja qual for a sua quota.\n\n"
        "Os críticos dizem que essas empresas não podem crescer, porque ninguém vende a sua "
        "parte com lucro. Contudo as cooperativas mais antigas duram há mais de um século e "
        "sobreviveram a crises que arruinaram as suas rivais.\n\n"
        "Por isso a pergunta não é se as cooperativas podem durar, mas o que devem ceder "
        "para durar. Uma cooperativa que contrata trabalhadores sem os fazer sócios torna-se "
        "aos poucos um patrão como os outros.",
        "A educação, segundo esta ideia, é a prática da liberdade e não a transmissão de "
        "factos. Um mestre que deposita o saber em alunos passivos ensina-os apenas a "
        "obedecer.\n\n"
        "Três hábitos marcam uma sala livre: as perguntas vêm dos alunos, as respostas são "
        "verificadas em conjunto e o mestre admite o que não sabe. Nenhum deles é fácil, e "
        "cada um tira tempo ao programa.\n\n"
        "Algumas objeções merecem resposta. Os exames premiam a memória e os pais querem "
        "notas. Mas uma escola que só prepara para os exames não prepara ninguém para uma "
        "vida em que as perguntas não estão fixadas de antemão.",
    ],
}

STORIES: dict[str, list[str]] = {
    "en": [
        "Mara had kept the shop for eleven years when the letter came. She read it twice at "
        "the counter, then folded it into her apron and said nothing to her brother.\n\n"
        "That evening she walked down to the harbour, where the boats lay on their sides in "
        "the mud. The smell of tar and salt was the smell of her father's coat.\n\n"
        "When she came back, Tomas was waiting at the door with the lamp. She gave him the "
        "letter and watched his face while he read. He did not ask her what she would do; "
        "he asked her when she would go.",
    ],
    "it": [
        "Marta teneva la bottega da undici anni quando arrivò la lettera. La lesse due volte "
        "al banco, poi la piegò nel grembiule e non disse niente al fratello.\n\n"
        "Quella sera scese al porto, dove le barche stavano coricate nel fango. L'odore di "
        "catrame e di sale era l'odore del cappotto di suo padre.\n\n"
        "Quando tornò, Tommaso la aspettava sulla porta con la lampada. Gli diede la lettera "
        "e guardò il suo viso mentre leggeva. Lui non le chiese che cosa avrebbe fatto; le "
        "chiese quando sarebbe partita.",
    ],
    "es": [
        "Marta llevaba once años en la tienda cuando llegó la carta. La leyó dos veces en el "
        "mostrador, luego la dobló en el delantal y no dijo nada a su hermano.\n\n"
        "Esa tarde bajó al puerto, donde las barcas yacían de costado en el barro. El olor a "
        "brea y a sal era el olor del abrigo de su padre.\n\n"
        "Cuando volvió, Tomás la esperaba en la puerta con la lámpara. Le dio la carta y "
        "miró su cara mientras leía. Él no le preguntó qué iba a hacer; le preguntó cuándo "
        "se marcharía.",
    ],
    "fr": [
        "Marthe tenait la boutique depuis onze ans quand la lettre arriva. Elle la lut deux "
        "fois au comptoir, puis la plia dans son tablier et ne dit rien à son frère.\n\n"
        "Ce soir-là, elle descendit au port, où les barques étaient couchées dans la vase. "
        "L'odeur du goudron et du sel était l'odeur du manteau de son père.\n\n"
        "Quand elle revint, Thomas l'attendait sur le seuil avec la lampe. Elle lui donna la "
        "lettre et regarda son visage pendant qu'il lisait. Il ne lui demanda pas ce qu'elle "
        "ferait ; il lui demanda quand elle partirait.",
    ],
    "de": [
        "Marta führte den Laden seit elf Jahren, als der Brief kam. Sie las ihn zweimal an "
        "der Theke, faltete ihn dann in ihre Schürze und sagte ihrem Bruder nichts.\n\n"
        "Am Abend ging sie zum Hafen hinunter, wo die Boote auf der Seite im Schlamm lagen. "
        "Der Geruch von Teer und Salz war der Geruch vom Mantel ihres Vaters.\n\n"
        "Als sie zurückkam, wartete Tomas mit der Lampe an der Tür. Sie gab ihm den Brief "
        "und sah sein Gesicht an, während er las. Er fragte nicht, was sie tun würde; er "
        "fragte, wann sie gehen würde.",
    ],
    "pt": [
        "Marta tinha a loja havia onze anos quando chegou a carta. Leu-a duas vezes ao "
        "balcão, depois dobrou-a no avental e não disse nada ao irmão.\n\n"
        "Nessa noite desceu ao porto, onde os barcos jaziam de lado na lama. O cheiro a "
        "alcatrão e a sal era o cheiro do casaco do seu pai.\n\n"
        "Quando voltou, Tomás esperava-a à porta com a lâmpada. Deu-lhe a carta e olhou o "
        "rosto dele enquanto lia. Ele não lhe perguntou o que ia fazer; perguntou-lhe quando "
        "ia partir.",
    ],
}

# Abbreviations and initials in the middle of sentences, where a period is no sentence end.
ABBREVIATED: dict[str, str] = {
    "en": (
        "Mr. Hale opened the meeting with a reading from the minutes of the last winter. "
        "Dr. Okafor then asked the members why the rent had risen twice in one year.\n\n"
        "The tenants of St. Anne's Court had written to the landlord, J. R. Whitcombe, "
        "three times without an answer. They decided that the next letter would be "
        "signed by every household in the building.\n\n"
        "Mrs. Hale said that a letter is only the start, because a landlord answers to "
        "numbers and not to words. The members agreed to meet again before the end of the "
        "month."
    ),
    "es": (
        "El Sr. García abrió la reunión con la lectura del acta del invierno pasado. La "
        "Sra. López preguntó entonces a los socios por qué el alquiler había subido dos "
        "veces en un año.\n\n"
        "Los vecinos habían escrito al propietario tres veces sin respuesta. Decidieron "
        "que la próxima carta la firmaría cada familia del edificio.\n\n"
        "El Sr. García dijo que una carta es solo el comienzo, porque un propietario "
        "responde a los números y no a las palabras. Los socios acordaron reunirse de "
        "nuevo antes de fin de mes."
    ),
    "fr": (
        "M. Girard ouvrit la réunion par la lecture du procès-verbal de l'hiver dernier. "
        "Mme Lefèvre demanda alors aux membres pourquoi le loyer avait augmenté deux fois "
        "en un an.\n\n"
        "Les locataires avaient écrit au propriétaire trois fois sans réponse. Ils "
        "décidèrent que la prochaine lettre serait signée par chaque foyer de "
        "l'immeuble.\n\n"
        "M. Girard dit qu'une lettre n'est qu'un début, parce qu'un propriétaire répond aux "
        "nombres et non aux mots. Les membres convinrent de se retrouver avant la fin du "
        "mois."
    ),
    "de": (
        "Hr. Becker eröffnete die Versammlung mit dem Protokoll des letzten Winters. Frau "
        "Lange fragte dann die Mitglieder, warum die Miete in einem Jahr zweimal gestiegen "
        "war.\n\n"
        "Die Mieter hatten dem Vermieter dreimal geschrieben, z. B. im Januar und im März, "
        "ohne eine Antwort zu bekommen. Sie beschlossen, dass jeder Haushalt im Haus den "
        "nächsten Brief unterschreiben würde.\n\n"
        "Hr. Becker sagte, dass ein Brief nur der Anfang ist, weil ein Vermieter auf Zahlen "
        "und nicht auf Worte antwortet. Die Mitglieder wollten sich vor dem Ende des "
        "Monats wieder treffen."
    ),
}

MARKED_UP = (
    "# The Commons\n\n"
    "The _commons_ is a resource that a community manages by rules it makes itself. "
    "Elinor Ostrom showed that such rules can last for *centuries* without a state or a "
    "market behind them.[2]\n\n"
    "> A resource held in common is not a resource open to all.\n\n"
    "The fishers of the bay met each spring to draw lots for the best places^2 and they "
    "punished those who broke the rules with small fines first. Sanctions grew only when "
    "a fisher broke the rules again.\n\n"
    "Therefore the tragedy of the commons is not a law of nature but a failure of "
    "institutions. Where people can talk, watch each other and change their rules, "
    "they can keep a shared resource alive."
)

PLAY = (
    "ALGERNON. Did you hear what I was playing, Lane?\n\n"
    "LANE. I didn't think it polite to listen, sir.\n\n"
    "ALGERNON. I'm sorry for that, for your sake. I don't play accurately, but I play "
    "with wonderful expression. [Rises and crosses to the table.] As far as the piano is "
    "concerned, sentiment is my forte.\n\n"
    "LANE. Yes, sir. [Hands the cucumber sandwiches on a salver.]\n\n"
    "ALGERNON. Why is it that at a bachelor's establishment the servants invariably drink "
    "the champagne? I ask merely for information.\n\n"
    "LANE. I attribute it to the superior quality of the wine, sir. I have often observed "
    "that in married households the champagne is rarely of a first-rate brand.\n\n"
    "ALGERNON. Good heavens! Is marriage so demoralising as that?\n\n"
    "LANE. I believe it is a very pleasant state, sir. I have had very little experience "
    "of it myself up to the present."
)

# A story whose sentences mostly open on a pronoun, with one that does not.
PRONOUN_STORY = (
    "She opened the window before dawn. It was cold, and it smelled of rain. She stood "
    "there for a long time.\n\n"
    "He came in with the bread and put it on the table. They said nothing at all. The old "
    "clock in the hall struck six while the kettle began to sing on the stove.\n\n"
    "She sat down at last. It was the first morning of the strike, and they both knew it."
)

# Every text above as a reading for the guards: a name, its language and its sections.
READINGS: list[tuple[str, str, list[str]]] = [
    *((f"argument-{lang}", lang, secs) for lang, secs in ARGUMENTS.items()),
    *((f"story-{lang}", lang, secs) for lang, secs in STORIES.items()),
    *((f"abbreviated-{lang}", lang, [text]) for lang, text in ABBREVIATED.items()),
    ("marked-up-en", "en", [MARKED_UP]),
    ("play-en", "en", [PLAY]),
]
