"""Curated general-knowledge word lists behind `entity_typing`: programming and natural languages, frameworks, tools,
products and medicines, foods, concepts (diets, sports, conditions, fields), animals, events, places, dates and given
names. Each entry is lowercase; "|" separates entries so that multi-word names stay whole."""

from __future__ import annotations

MEDICINES = (
    "metformin|insulin|ibuprofen|paracetamol|acetaminophen|aspirin|penicillin|amoxicillin|ventolin|albuterol|"
    "salbutamol|epipen|lisinopril|statins|atorvastatin|levothyroxine|sertraline|jardiance|ozempic|wegovy|prozac"
)
GAZETTEERS: dict[str, str] = {
    "language": "python|javascript|typescript|java|kotlin|swift|rust|go|golang|c|c++|c#|ruby|php|perl|scala|haskell|"
    "elixir|erlang|clojure|lua|r|julia|matlab|sql|bash|shell|powershell|dart|zig|ocaml|f#|fortran|cobol|assembly|"
    "html|css|solidity|groovy|objective-c|english|spanish|french|german|italian|portuguese|dutch|swedish|norwegian|"
    "danish|finnish|polish|czech|slovak|hungarian|romanian|bulgarian|greek|turkish|russian|ukrainian|serbian|"
    "croatian|arabic|hebrew|persian|farsi|urdu|hindi|bengali|punjabi|marathi|gujarati|tamil|telugu|kannada|malayalam|"
    "sinhala|nepali|mandarin|cantonese|chinese|japanese|korean|thai|vietnamese|indonesian|malay|tagalog|filipino|"
    "swahili|yoruba|igbo|hausa|amharic|zulu|xhosa|isixhosa|afrikaans|catalan|basque|galician|welsh|irish|gaelic|"
    "icelandic|estonian|latvian|lithuanian|neapolitan|sicilian|latin|esperanto|sign language|asl|bsl",
    "framework": "react|react native|next.js|nextjs|vue|vue.js|nuxt|angular|svelte|sveltekit|django|flask|fastapi|"
    "rails|ruby on rails|laravel|symfony|spring|spring boot|express|express.js|nestjs|pytorch|pytorch geometric|"
    "tensorflow|keras|jax|scikit-learn|sklearn|pandas|numpy|scipy|polars|matplotlib|hugging face transformers|"
    "langchain|jquery|bootstrap|tailwind|tailwind css|flutter|swiftui|jetpack compose|.net|asp.net|node.js|node|deno|"
    "electron|unity|unreal engine|vitest|jest|mocha|pytest|playwright|cypress|selenium|junit|rspec|gin|echo|fiber|"
    "actix|axum|tokio|phoenix|htmx|redux|graphql|pydantic|sqlalchemy|celery|spark|apache spark|hadoop|dbt|airflow|"
    "streamlit|gradio|opencv|net/http",
    "tool": "docker|kubernetes|k8s|terraform|ansible|helm|jenkins|github actions|gitlab ci|circleci|git|github|"
    "gitlab|bitbucket|jira|confluence|notion|linear|trello|asana|slack|zoom|teams|microsoft teams|facetime|whatsapp|"
    "telegram|signal|discord|figma|figjam|sketch|photoshop|illustrator|lightroom|canva|blender|excel|word|powerpoint|"
    "google sheets|google docs|google drive|power query|power bi|tableau|looker|vs code|vscode|visual studio|"
    "intellij|pycharm|vim|neovim|emacs|jupyter|jupyter notebook|colab|xcode|android studio|postgres|postgresql|mysql|"
    "sqlite|mongodb|redis|elasticsearch|opensearch|dynamodb|cassandra|snowflake|bigquery|kafka|rabbitmq|nginx|linux|"
    "arch linux|ubuntu|debian|fedora|windows|macos|ios|android|aws|azure|gcp|google cloud|google cloud run|cloud run|"
    "lambda|aws lambda|s3|ec2|heroku|vercel|netlify|cloudflare|firebase|supabase|grafana|prometheus|datadog|"
    "pagerduty|sentry|splunk|new relic|weights & biases|wandb|mlflow|duolingo|anki|obsidian|evernote|todoist|spotify|"
    "chatgpt|copilot|github copilot|postman|homebrew|npm|yarn|pip|poetry|conda|quickbooks|xero|square|shopify|stripe|"
    "paypal|zerodha|robinhood|venmo|revolut|wise|mint|ynab|salesforce|hubspot|zapier|airtable|miro|loom|dropbox|"
    "1password|bitwarden|strava|garmin connect|google maps|uber|airbnb|vagrant|bazel|gradle|maven|webpack|vite",
    "product": "iphone|ipad|macbook|macbook pro|macbook air|imac|apple watch|airpods|kindle|kindle paperwhite|"
    "thinkpad|surface|pixel|galaxy|playstation|ps5|xbox|nintendo switch|steam deck|fitbit|oura ring|tesla|"
    "toyota prius|subaru|volvo|ford f-150|roomba|peloton|gopro|canon eos r5|raspberry pi|"
    + MEDICINES
    + "|roth ira|ira|401(k)|401k|tfsa|rrsp|isa|lisa|sipp|hsa|ppf",
    "food": "sushi|ramen|pho|banh mi|pizza|pasta|tagliatelle|orecchiette|spaghetti|lasagne|lasagna|risotto|gnocchi|"
    "curry|biryani|dosa|masala dosa|idli|sambar|dal|naan|paneer|tacos|breakfast tacos|burritos|enchiladas|tex-mex|"
    "chili|bbq|barbecue|burgers|steak|red meat|meat|chicken|beef|pork|lamb|fish|salmon|tuna|shellfish|shrimp|prawns|"
    "oysters|crab|lobster|tofu|tempeh|eggs|cheese|milk|oat milk|almond milk|yogurt|butter|bread|sourdough|rice|"
    "noodles|dumplings|kimchi|bibimbap|falafel|hummus|salad|soup|sunday roast|fish and chips|full english|croissants|"
    "bagels|pancakes|waffles|porridge|oatmeal|chocolate|dark chocolate|ice cream|cake|cookies|sugar|honey|salt|"
    "garlic|onions|tomatoes|okra|peppers|potatoes|mushrooms|avocado|spinach|kale|broccoli|carrots|coriander|cilantro|"
    "basil|truffle oil|olive oil|peanuts|peanut butter|tree nuts|nuts|almonds|cashews|walnuts|pecans|gluten|wheat|"
    "soy|lactose|dairy|sesame|strawberries|bananas|apples|mangoes|coffee|espresso|flat white|filter coffee|"
    "double ristretto|ristretto|cappuccino|latte|tea|green tea|black tea|chai|matcha|beer|wine|red wine|white wine|"
    "whisky|whiskey|guinness|cider|gin|vodka|sake|kombucha|spicy food|street food|seafood|thai food|indian food|"
    "mexican food|italian food|chinese food|japanese food|korean food|mexican|thai|indian|ethiopian|lebanese|"
    "greek food|paella|tapas|churros|croquetas|bratwurst|schnitzel|pretzels|goulash|pierogi|borscht|poutine|nachos|"
    "quesadillas|guacamole|ceviche|empanadas|feijoada|jollof rice|injera|tagine|couscous|shakshuka|baklava|gyros|"
    "souvlaki|kebab|shawarma|dim sum|bao|udon|soba|tempura|katsu|miso soup|bulgogi|pad thai|tom yum|laksa|rendang|"
    "satay|samosas|pakoras|chole|rajma|upma|poha|vada|rasam|lassi|mochi|macarons|brownies|scones|crumpets|haggis|"
    "black pudding|bacon|sausages|ham|turkey|duck|venison|cod|sardines|anchovies|mussels|squid|octopus|lentils|"
    "chickpeas|beans|quinoa|oats|granola|cereal|berries|blueberries|grapes|oranges|lemons|limes|pineapple|watermelon|"
    "peaches|cherries|kiwi|zucchini|courgette|eggplant|aubergine|cucumber|lettuce|cabbage|cauliflower|beetroot|"
    "parsley|mint|ginger|turmeric|cinnamon|chillies|jalapeños|mustard|ketchup|mayonnaise|soy sauce|vinegar|"
    "hot chocolate|smoothies|orange juice|soda|cola|lemonade|prosecco|champagne|rum|tequila|mezcal|bourbon|ipa|lager|"
    "stout|port|sherry|mead",
    "concept": "vegetarian|vegan|pescatarian|keto|paleo|gluten-free|halal|kosher|intermittent fasting|chess|"
    "bouldering|climbing|rock climbing|hiking|running|jogging|cycling|swimming|surfing|skiing|snowboarding|yoga|"
    "pilates|golf|tennis|badminton|squash|cricket|football|soccer|rugby|hockey|basketball|baseball|volleyball|boxing|"
    "martial arts|karate|judo|fencing|rowing|sailing|kayaking|poker|gardening|knitting|baking|cooking|painting|"
    "drawing|photography|pottery|woodworking|birdwatching|fishing|camping|gaming|board games|crossword|sudoku|"
    "meditation|dancing|salsa|asthma|diabetes|type 1 diabetes|type 2 diabetes|prediabetes|migraines|migraine|gout|"
    "eczema|arthritis|celiac disease|coeliac disease|crohn's disease|ibs|adhd|autism|anxiety|depression|insomnia|"
    "hypertension|high blood pressure|sleep apnea|computer science|machine learning|deep learning|data science|"
    "mathematics|maths|math|physics|chemistry|biology|medicine|nursing|law|economics|finance|accounting|statistics|"
    "psychology|philosophy|history|architecture|design|ux research|ux design|neural networks|artificial intelligence|"
    "ai|nlp|robotics|electrical engineering|mechanical engineering|linguistics|literature",
    "animal": "dog|dogs|cat|cats|kitten|puppy|rabbit|rabbits|hamster|guinea pig|parrot|budgie|tortoise|turtle|snake|"
    "lizard|gecko|horse|horses|goldfish|ferret|chickens|beagle|labrador|golden retriever|poodle|dachshund|greyhound|"
    "whippet|spaniel|cocker spaniel|border collie|collie|kelpie|husky|german shepherd|bulldog|french bulldog|pug|"
    "corgi|terrier|chihuahua|maine coon|siamese|persian cat|ragdoll|bengal|sphynx|tabby",
    "event": "christmas|christmas eve|christmas day|new year|new year's eve|easter|thanksgiving|halloween|diwali|"
    "holi|onam|pongal|eid|ramadan|hanukkah|passover|rosh hashanah|lunar new year|chinese new year|midsummer|"
    "oktoberfest|carnival|burning man|glastonbury|coachella|super bowl|world cup|olympics|wimbledon|pycon|kubecon|"
    "neurips|icml|cvpr|wwdc|ces|web summit|advent of code|hacktoberfest|black friday",
    "place": "london|paris|berlin|munich|münchen|hamburg|frankfurt|cologne|vienna|zurich|geneva|madrid|barcelona|"
    "seville|valencia|lisbon|porto|coimbra|rome|milan|naples|florence|venice|turin|salerno|amsterdam|rotterdam|"
    "brussels|copenhagen|stockholm|oslo|helsinki|reykjavik|dublin|edinburgh|glasgow|manchester|salford|leeds|"
    "liverpool|birmingham|bristol|cardiff|belfast|prague|budapest|warsaw|krakow|athens|istanbul|moscow|kyiv|new york|"
    "san francisco|los angeles|chicago|boston|seattle|austin|houston|dallas|denver|miami|atlanta|portland|columbus|"
    "toronto|montreal|vancouver|ottawa|calgary|mexico city|são paulo|sao paulo|rio de janeiro|buenos aires|lima|"
    "bogotá|santiago|tokyo|kyoto|osaka|seoul|busan|beijing|shanghai|hong kong|taipei|singapore|bangkok|hanoi|"
    "ho chi minh city|manila|jakarta|bali|kuala lumpur|mumbai|delhi|new delhi|bengaluru|bangalore|chennai|hyderabad|"
    "pune|kolkata|kochi|goa|dubai|abu dhabi|tel aviv|cairo|nairobi|lagos|accra|cape town|johannesburg|sydney|"
    "melbourne|brisbane|perth|adelaide|auckland|wellington|germany|france|spain|portugal|italy|uk|united kingdom|"
    "england|scotland|wales|ireland|iceland|norway|sweden|denmark|finland|netherlands|belgium|switzerland|austria|"
    "poland|greece|turkey|usa|united states|america|canada|mexico|brazil|argentina|chile|peru|colombia|japan|china|"
    "korea|south korea|taiwan|vietnam|thailand|indonesia|philippines|malaysia|india|sri lanka|nepal|pakistan|"
    "bangladesh|australia|new zealand|egypt|morocco|kenya|nigeria|ghana|south africa|maldives|texas|california|"
    "florida|ohio|oregon|ontario|quebec|bavaria|tuscany|sicily|alps|the alps|everest|yosemite|disney world|"
    "disneyland|central park|lyon|marseille|nice|bordeaux|toulouse|strasbourg|nantes|lille|düsseldorf|stuttgart|"
    "dresden|leipzig|bonn|heidelberg|nuremberg|salzburg|innsbruck|basel|bern|lausanne|antwerp|ghent|bruges|utrecht|"
    "the hague|eindhoven|bergen|gothenburg|malmö|aarhus|tallinn|riga|vilnius|gdansk|wroclaw|bratislava|ljubljana|"
    "zagreb|split|dubrovnik|belgrade|sofia|bucharest|thessaloniki|crete|santorini|mallorca|ibiza|tenerife|bilbao|"
    "granada|malaga|cordoba|faro|madeira|azores|genoa|bologna|verona|pisa|palermo|oxford|cambridge|bath|york|"
    "brighton|newcastle|sheffield|nottingham|leicester|southampton|cornwall|aberdeen|galway|cork|philadelphia|"
    "washington|washington dc|baltimore|pittsburgh|detroit|cleveland|cincinnati|minneapolis|milwaukee|st. louis|"
    "kansas city|nashville|memphis|new orleans|phoenix|las vegas|salt lake city|san diego|san jose|oakland|"
    "sacramento|honolulu|anchorage|orlando|tampa|charlotte|raleigh|richmond|brooklyn|manhattan|queens|hawaii|alaska|"
    "arizona|colorado|utah|nevada|georgia|virginia|massachusetts|michigan|illinois|minnesota|wisconsin|pennsylvania|"
    "new jersey|new york state|north carolina|tennessee|louisiana|washington state|british columbia|alberta|"
    "nova scotia|halifax|winnipeg|edmonton|quebec city|havana|cancun|oaxaca|guadalajara|medellín|medellin|cusco|"
    "quito|la paz|montevideo|patagonia|kathmandu|colombo|dhaka|karachi|lahore|islamabad|jaipur|agra|varanasi|"
    "ahmedabad|surat|lucknow|chandigarh|mysore|mysuru|kerala|karnataka|tamil nadu|maharashtra|punjab|rajasthan|"
    "gujarat|hyderabad|phuket|chiang mai|siem reap|phnom penh|yangon|da nang|hoi an|penang|cebu|hokkaido|okinawa|"
    "nagoya|hiroshima|nara|sapporo|fukuoka|jeju|shenzhen|guangzhou|chengdu|xi'an|macau|zanzibar|marrakech|casablanca|"
    "tunis|addis ababa|kampala|kigali|dar es salaam|durban|windhoek|doha|riyadh|muscat|amman|beirut|jerusalem|"
    "tbilisi|baku|yerevan|almaty|tasmania|hobart|darwin|cairns|gold coast|queensland|victoria|christchurch|"
    "queenstown|fiji|tahiti|caribbean|europe|asia|africa|scandinavia|the balkans",
}
# Words that are also ordinary English: they name an entity only when capitalised.
ONLY_CAPITALISED = frozenset(
    "go rust swift r c dart word teams signal square linear mint wise notion sketch spring express echo fiber node "
    "unity pixel surface galaxy lisa isa ira hsa thai indian mexican turkey chile china may march august "
    "wedding reading nice bath split york victoria charlotte georgia salsa".split()
)
DATES = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays "
    "saturdays sundays weekday weekdays"
)

# Given names from many cultures: a capitalised word in this list is a person unless a cue says otherwise.
NAMES = frozenset(
    """aaron abdul adam adrian ahmed aisha akira alex alexander alfie ali alice alicia amara amelia amir amy ana andrea
    andrew angela anita anjali ann anna anne anton arjun arun asha ava ben benjamin beth bob carlos carmen caroline
    charlie chen chloe chris christine clara daniel david deepa diana diego divya dmitri elena eli eliza elizabeth
    ella emily emma eric erik ethan eva fatima felix fiona frank freya gabriel george grace hana hannah harry hassan
    helen henry hiro ibrahim ines isaac isabel isla ivan jack jacob james jane jasmine jess jessica jin joe john jonas
    jordan jose josh juan julia julian june kai karen karim kate kavya kenji kim kiran laura lea leila lena leo liam
    lily linda lucas lucy luis luka maddie madison marco marcus maria mark marta martin mary matt maya mei mia michael
    miguel mira mohammed nadia naomi nathan neha nick nina noah nora olga oliver olivia omar oscar owen paul pedro
    peter priya rachel rahul raj ravi ray rebecca rohan rosa ryan sam samuel sara sarah sean sofia sophie stefan steve
    sunita tara thomas tim tom tomas uma victor vikram will william yuki yusuf zara zoe""".split()
)
