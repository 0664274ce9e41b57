"""Cue words and phrases of the life topics a memory can be about. Words are matched after a light stemming ("moved",
"moving" and "moves" are "move"); phrases are regular expressions over the lowercased text and weigh more. General
vocabulary, written for this project, not taken from an evaluation set."""

from __future__ import annotations

LIFE_TOPICS = (
    "work",
    "food",
    "health",
    "family",
    "pets",
    "travel",
    "hobbies",
    "technology",
    "education",
    "finance",
    "home",
    "preferences",
)

# Regular-expression alternations: job titles, relatives (with partners) and friends.
JOBS = (
    r"engineer|developer|programmer|scientist|analyst|designer|nurse|doctor|physician|surgeon|pediatrician|"
    r"paediatrician|pharmacist|dentist|teacher|professor|lecturer|lawyer|solicitor|accountant|cpa|sre|devops|"
    r"architect|manager|director|consultant|chef|cook|baker|barista|waiter|writer|editor|journalist|"
    r"photographer|artist|musician|researcher|student|intern|founder|ceo|cto|cfo|vp|electrician|plumber|"
    r"mechanic|driver|pilot|firefighter|officer|therapist|psychologist|vet|veterinarian|librarian|recruiter|"
    r"administrator|assistant|technician|midwife|paramedic|carer|caregiver|marketer|salesperson|guide|farmer|"
    r"illustrator|gp|trucker|clerk|cashier|cleaner|builder|carpenter|tailor|fisherman|miner|soldier|courier|"
    r"receptionist|secretary|translator|interpreter|tutor|coach|trainer|hairdresser|barber|butcher|gardener|"
    r"rancher|shepherd|welder|painter|singer|dancer|actor|actress|priest|pastor|imam|judge|banker|broker|trader|"
    r"economist|entrepreneur|optician|optometrist|physiotherapist|surveyor|bookkeeper|auditor|social worker"
)
RELATIVES = (
    r"partner|wife|husband|boyfriend|girlfriend|fianc[ée]e?|spouse|son|daughter|kids?|child|children|mum|mom|mother|dad|father|"
    r"brother|sister|siblings?|grandson|granddaughter|grandchildren|grandkids|grandma|grandpa|grandmother|"
    r"grandfather|aunt|uncle|cousin|niece|nephew|twins|married to|marrying|marry|married|parents|in-laws"
)
FRIENDS = r"friend|best friend|flatmate|roommate|housemate|buddy|mate"

WORDS: dict[str, str] = {
    "work": """work job jobs career office colleague colleagues coworker coworkers boss manager managers employer
        employee employees company startup client clients customer customers meeting meetings shift shifts rota
        on-call oncall promotion promoted hired interview interviews recruiter resign resigned retire retired
        retirement freelance freelancer contract contractor consultant consultancy intern internship sabbatical
        workplace business team teams project projects deadline deadlines audit payroll staff ceo cto cfo founder
        co-founder cofounder engineer engineers developer scientist analyst designer nurse doctor physician surgeon
        pediatrician paediatrician pharmacist dentist teacher lecturer professor lawyer solicitor barrister
        accountant cpa sre devops architect director chef cook baker barista waiter waitress writer editor
        journalist photographer researcher technician mechanic electrician plumber carpenter pilot firefighter
        officer therapist psychologist vet veterinarian librarian paramedic midwife carer salesperson marketer
        recruiter administrator receptionist cashier clerk trader banker actuary entrepreneur owner restaurant
        trattoria bistro cafe shop store salon clinic warehouse factory conference conferences workshop keynote
        talk talks present presenting commute commutes commuting remote hybrid overtime appraisal firm firms agency
        agencies teammate teammates standup stand-up sprint stakeholders kpis okrs onboarding mentor mentoring
        layoffs redundancy redundant fired hiring unemployed self-employed gig-economy""",
    "food": """food foods eat eats eating ate meal meals dinner lunch breakfast brunch supper snack snacks dessert
        desserts cuisine dish dishes recipe recipes cook cooking cooks bake baking baker restaurant restaurants
        cafe takeaway takeout delivery diet vegetarian vegan drink drinks drinking coffee tea spicy sweet savoury
        savory flavour flavor taste tastes tasty delicious hungry fruit fruits vegetable vegetables veggies meat
        cheese bread rice pasta noodles soup salad sandwich sandwiches burger pizza chocolate cake wine beer
        cocktail cocktails grocery groceries kitchen chef cups cup sauce sauces spice spices seasoning buffet
        picnic grill grilled fried roast baked homemade leftovers portion portions calories carbs protein fibre
        fiber meal-prep prep preps stew stews curry curries stir-fry barbecue bbq dumplings oven cookbook juice
        smoothie smoothies latte lattes espresso dairy dining takeaways pickles ferments fermenting""",
    "health": """health healthy allergic allergy allergies intolerant intolerance doctor doctors gp physician nurse
        hospital clinic medicine medication medications meds pill pills prescription prescribed dose inhaler
        injection insulin vaccine vaccinated sick illness ill disease condition chronic diagnosed diagnosis
        symptoms symptom pain ache aches sore injury injured surgery operation recovery recovering physio
        physiotherapy therapist therapy counselling counseling mental anxiety stress sleep insomnia tired fatigue
        blood pressure cholesterol sugar weight checkup check-up scan mri x-ray dentist dental teeth optician
        glasses contacts eyesight hearing pregnant pregnancy fertility migraine headache headaches supplements
        vitamins rehab torn tore sprained sprain fracture fractured fitness gym workout workouts exercise exercises
        steps walk walks walking cardio strength stretch stretching posture back knee hip shoulder jab jabs flu
        booster fever antibiotics painkillers dermatologist cardiologist specialist referral bloodwork blood-test
        heart rate pulse resting bp smoking smoke smoker cigarettes nicotine vaping vape snus sober sobriety
        diabetic asthmatic cancer tumour tumor arthritis eczema rash nausea bloated cramps dizzy dizziness vertigo
        burnout depression depressed autism autistic dyslexia dyslexic wheelchair crutches stitches hangover
        alcohol meditation meditating mindfulness""",
    "family": """family wife husband partner spouse fiance fiancee fiancé fiancée girlfriend boyfriend son sons
        daughter daughters kid kids child children baby babies toddler twins mum mom mother mummy mommy dad father
        daddy parent parents brother brothers sister sisters sibling siblings grandson granddaughter grandchild
        grandchildren grandkids grandma grandpa grandmother grandfather grandparents granny nan nana aunt uncle
        cousin cousins niece nephew in-laws stepson stepdaughter stepmother stepfather married marry marrying
        wedding engaged engagement anniversary birthday birthdays divorced divorce separated pregnant friend
        friends flatmate roommate housemate neighbour neighbor relatives relative godson goddaughter eldest
        youngest grandkid stepkids ex-wife ex-husband widow widowed widower babysitter babysitting nanny childcare
        daycare bedtime mother-in-law father-in-law sister-in-law brother-in-law funeral christening baptism""",
    "pets": """pet pets dog dogs puppy pup cat cats kitten kitty rescue adopt adopted adopting vet vets walkies
        kennel litter leash breed flea fleas groomer grooming worming foster fosters fostering kittens puppies
        aquarium neutered spayed microchip kibble dog-walker dog-sitter catflap""",
    "travel": """travel travels travelling traveling travelled traveled trip trips holiday holidays vacation
        vacations honeymoon flight flights fly flying flew airport airline airlines passport visa hotel hotels
        hostel hostels resort cruise backpack backpacking abroad overseas tour tours tourist sightseeing road-trip
        roadtrip itinerary visit visits visited visiting destination getaway journey jet lag layover weekend-away
        pack packs packing luggage suitcase carry-on city-break break breaks jetlag jet-lag layover hostel
        interrail interrailing countries pilgrimage hajj umrah camino ferry airbnb safari staycation sightsee
        expedition""",
    "hobbies": """hobby hobbies play plays playing played game games match matches league club fan fans supporter
        season ticket tickets team sport sports training race races marathon gym climbing reading reads read books
        book novel novels author series film films movie movies cinema tv show shows podcast podcasts music band
        bands concert concerts gig gigs festival festivals album albums song songs sing sings singing choir guitar
        piano violin cello drums ukulele flute saxophone instrument paint paints painting draw drawing craft crafts
        knit knitting garden gardening grows grow plants collect collects collection collector photography camera
        weekend weekends championship championships tournament tournaments premiership playoffs playoff fixtures
        allotment allotments greenhouse seedlings sew sewing crochet crocheting quilting woodwork woodworking pottery
        ceramics chess puzzle puzzles crossword crosswords sudoku lego theatre theater museum museums gallery opera
        ballet dance dancing karaoke anime manga comics videogames console playstation xbox nintendo volunteer
        volunteers volunteering derby""",
    "technology": """code coding coder program programming programmer software app apps application website web
        frontend front-end backend back-end fullstack full-stack stack api apis database databases server servers
        cloud deploy deploys deployment infra infrastructure devops script scripts scripting terminal editor ide
        keybindings shortcut shortcuts laptop computer pc desktop phone smartphone tablet device devices gadget
        gadgets keyboard mouse monitor linux os operating framework frameworks library libraries repo repository
        commit commits pull open-source opensource bug bugs debug debugging test tests testing automate automation
        dashboard dashboards pipeline pipelines container containers cluster clusters model models dataset datasets
        data algorithm algorithms tech technical technology online digital wifi internet password passwords backup
        backups spreadsheet spreadsheets pivot macros router smartwatch headphones earbuds printer homelab
        self-hosted vpn chatbot llm""",
    "education": """study studies studying studied student students school schools university uni college campus
        degree degrees bachelor bachelors master masters msc bsc ba ma phd doctorate thesis dissertation course
        courses class classes lesson lessons lecture lectures seminar exam exams test grade grades homework
        assignment assignments semester term tutor tutoring teacher professor supervisor scholarship graduate
        graduated graduation enrolled enrol enroll diploma certificate certification certified qualification learn
        learns learning learned learnt language languages fluent fluently speaks speak speaking native vocabulary
        grammar streak curriculum kindergarten nursery preschool academy bootcamp gcse gcses a-levels a-level sats
        exam exams revision revising tuition ucas admissions programme programmes phd applying application major
        gpa textbook textbooks apprenticeship apprentice coursework""",
    "finance": """money finance finances financial save saves saving savings saver budget budgets budgeting spend
        spending spends expense expenses cost costs price prices afford cheap expensive invest invests investing
        investment investments investor portfolio stock stocks shares fund funds index etf etfs bond bonds crypto
        bitcoin pension pensions retirement mortgage mortgages loan loans debt debts credit card cards bank banks
        banking account accounts tax taxes income salary wage wages paycheck payslip bills bill insurance deposit
        down-payment payment payments repay repayment repayments pay paid financed finance inheritance dividends
        interest rate rates euros dollars pounds rupees yen overdrawn overdraft bills split splits fees
        subscription subscriptions refund refunds invoice invoices pesos rand naira krona kronor kroner yuan francs
        lira dirhams ringgit baht zloty reais rubles lend lends owe owes owed payday""",
    "home": """home house houses flat flats apartment apartments condo studio room rent rents renting rented
        landlord tenant lease neighbourhood neighborhood area suburb district street city town village move moves
        moving moved relocate relocated relocating resides reside based grew raised commute garden balcony kitchen
        renovate renovating renovation decorate furniture diy chores cleaning laundry boiler heating plumber
        plumbing leak leaking roof mould mold damp repairs fridge dishwasher live lives living lived bedroom
        bedrooms bathroom garage driveway lawn townhouse bungalow cottage semi-detached terraced flatshare
        houseshare downsizing downsized loft attic basement porch""",
    "preferences": """prefers prefer preference preferences answers answer replies reply responses response
        explanations explanation format formatting tone concise brief short terse detailed verbose bullet bullets
        tables table summary summaries emoji emojis examples caveats jargon formal informal casual language units
        metric imperial celsius fahrenheit font text dark mode theme colour color favourite favorite nickname
        pronouns""",
}

# (pattern, topic, weight): phrases that say more than their words.
PHRASES: tuple[tuple[str, str, float], ...] = (
    (
        r"\b(?:broke|broken|fractured|sprained|tore|torn|hurt|injured|pulled|twisted)\s+(?:her|his|my|their|a|an)?\s*"
        r"(?:\w+\s+)?(?:wrist|ankle|arm|leg|knee|back|shoulder|hip|finger|toe|rib|collarbone|hamstring|neck|acl|"
        r"achilles|foot)\b",
        "health",
        3.0,
    ),
    (r"\bperformance review\b|\bone-to-one with (?:her|his|my) (?:manager|boss)\b", "work", 2.0),
    (
        r"\b(?:prefers?|wants?|likes?|would rather|'d rather)\b.{0,40}\b(?:answers?|repl(?:y|ies)|responses?|"
        r"explanations?|instructions|summaries|examples|code examples|bullet points?|tables?|units|metric|imperial|"
        r"dark mode|light mode|font|text size|large text|tone)\b",
        "preferences",
        4.0,
    ),
    (r"\b(?:answer|reply|respond|explain|talk)\b.{0,20}\b(?:in|with|using)\b", "preferences", 1.5),
    (r"\bbeing called\b|\bcall (?:her|him|them|me)\b|\bgoes by\b|\bfavou?rite colou?r\b", "preferences", 4.0),
    (
        r"\b(?:lives?|living|lived|resides?|based|moved|moving|relocated)\s+(?:back\s+|alone\s+|together\s+)?"
        r"(?:in|to)\b",
        "home",
        3.0,
    ),
    # A dwelling as what one rents, shares, owns or buys is about home, whatever the price says.
    (
        r"\b(?:rents?|renting|rented|shares?|sharing|shared|owns?|bought|buying|lives in)\s+"
        r"(?:an?|the|her|his|their|my)?\s*(?:[\w-]+\s+)?(?:apartment|flat|house|condo|studio|room|townhouse|bungalow|cottage|one-bedroom|"
        r"two-bedroom|\w+-bed)\b",
        "home",
        3.0,
    ),
    (r"\b(?:born|grew up|raised|originally from)\b", "home", 2.0),
    (
        r"\b(?:works?|working|worked|employed)\s+(?:part-time\s+|full-time\s+|remotely\s+|weekends\s+|nights\s+)?"
        r"(?:as|at|for|in|on)\b|\bjob\b|\b(?:i'm|is) an? \w+ at\b|\bon[- ]call\b",
        "work",
        3.0,
    ),
    (
        r"\b(?:attend(?:s|ing|ed)?|present(?:s|ing|ed)? at|speaking at|going to)\b.{0,30}\b(?:conference|summit|"
        r"con|expo|workshop)\b",
        "work",
        2.0,
    ),
    (r"\b(?:allergic|intoleran[tc]e?|diagnosed|prescribed|flares? up)\b", "health", 4.0),
    (r"\b(?:surgery|operation|op|procedure|transplant|chemo(?:therapy)?)\b", "health", 3.0),
    # What makes someone ill, and quitting a habit that harms, are about health.
    (
        r"\b(?:makes?|made|gives?|gave) (?:her|him|me|them|us) (?:\w+ )?(?:ill|sick|unwell|bloated|nauseous|queasy|"
        r"headaches?|migraines?|hives|a rash|heartburn|reflux|cramps)\b",
        "health",
        4.0,
    ),
    (
        r"\b(?:quit|quits|quitting|stopped|giving up|gave up|cut(?:ting)? (?:down|back)(?: on)?|trying to stop)\s+"
        r"(?:\w+\s+)?(?:smoking|cigarettes?|cigs|snus|vaping|vapes?|drinking|alcohol|booze|nicotine|caffeine)\b",
        "health",
        3.0,
    ),
    # Driving a bus, a cab or a lorry is a job.
    (
        r"\bdriv(?:es|ing|e) (?:a |an |the )?(?:\w+ ){0,3}(?:bus|buses|taxi|cab|truck|lorry|lorries|tram|train|"
        r"ambulance|forklift|van|delivery van)\b",
        "work",
        3.0,
    ),
    # Growing plants or vegetables is gardening.
    (r"\bgrow(?:s|ing)?\b(?! up)", "hobbies", 2.0),
    (
        r"\b(?:trip|travel(?:l?ing)?|flying|fly|visit(?:ed|ing)?|going|went|heading|holiday|vacation|dreams? of"
        r" (?:seeing|visiting|going)|backpack(?:ed|ing)?|road-?trip(?:ped|ping)?|touring|toured)\b.{0,30}"
        r"\b(?:to|in|around|across|through)\b",
        "travel",
        1.0,
    ),
    (r"\b(?:going|went|flying|heading|travell?ing|moving back)\s+(?:back\s+|home\s+)?to\b", "travel", 1.5),
    (r"\b(?:plays?|playing|goes|does)\s+(?:\w+\s+)?(?:on|every|at|with|in)?\b", "hobbies", 0.5),
    (
        r"\b(?:saves?|saving|savings|invests?|investing|pays? off|paying off|puts?)\b.{0,30}\b(?:a month|a year|"
        r"every month|per month|into|for)\b",
        "finance",
        2.0,
    ),
    (
        r"\b(?:sends?|sending|sent|transfers?|transferring|wires?|lends?|lent|owes?|owed|borrow(?:s|ed)?)\s+"
        r"(?:\w+\s+)?(?:money|cash|\d)|\bremittances?\b",
        "finance",
        3.0,
    ),
    (
        r"[$€£¥₹]\s?\d|\b\d+(?:[.,]\d+)?\s?(?:k|euros?|dollars?|pounds?|rupees?|quid|bucks|pesos?|rand|naira|kronor|"
        r"kroner|krona|yuan|francs?|lira|dirhams?|ringgit|baht|zloty|reais|rubles?|yen)\b",
        "finance",
        2.0,
    ),
    (r"\b(?:speaks?|fluent in|classes in|course in|lessons|student at|studies at|studying at)\b", "education", 1.5),
    # A relative as the object of a preposition ("lives in Leeds with her husband", "sends money to his mum") is
    # a companion or a recipient: the memory is about something else.
    (
        r"(?<!\bwith )(?<!\bto )(?<!\bfor )(?<!\bfrom )(?<!\bnear )(?<!\bby )(?<!\band )"
        r"\b(?:her|his|their|my|our) (?:\w+ )?(?:parents|mum|mom|mother|dad|father|sister|brother|wife|husband|partner|"
        r"son|daughter|kids|children|grandchildren|grandkids|family)\b",
        "family",
        2.0,
    ),
    (rf"\bhas (?:an? |one |two |three |four |\d+ )?(?:\w+ )?(?:{RELATIVES})\b", "family", 2.0),
    (
        rf"(?:^(?!(?:{JOBS})s\b)|\b(?:is|was|i'm|i am|works as|worked as|as)\s+)(?:an?\s+)?"
        rf"(?:retired\s+|former\s+|ex-)?"
        rf"(?:(?!an?\s|the\s)[a-z-]+\s+){{0,2}}(?!student)(?:{JOBS})s?\b",
        "work",
        3.0,
    ),
    (
        r"\b(?:runs?|owns?) (?:a |an |the |his |her |their )?(?:own )?(?:\w+ ){0,2}(?:restaurant|trattoria|cafe|"
        r"café|bar|pub|bakery|shop|"
        r"store|business|company|startup|agency|practice|clinic|salon|studio|firm)\b",
        "work",
        3.0,
    ),
    (
        r"\b(?:has|have|adopt(?:ed|ing)?|owns?) an? (?:\w+ )?(?:dog|cat|puppy|kitten|rabbit|parrot|hamster)\b",
        "pets",
        3.0,
    ),
)
