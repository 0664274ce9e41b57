"""Curated general-knowledge word lists: programming and natural languages, frameworks, tools, products (devices,
vehicles, medicines, financial products), foods, concepts (diets, activities and sports, conditions, fields of study),
animals, events (holidays, festivals and sports events, conferences), places and given names.

The local entity typer types names with them, and the topic classifier reads what a memory is about from them. Each
entry is lowercase; "|" separates entries so that multi-word names stay whole. Every list is general knowledge,
written for this project, and none is taken from an evaluation set.
"""

from __future__ import annotations

from agent_memory.domain.given_names import NAMES
from agent_memory.domain.places import PLACES

__all__ = ["DATES", "GAZETTEERS", "NAMES", "ONLY_CAPITALISED", "PLACES", "SUBTYPES"]

PROGRAMMING_LANGUAGES = (
    "python|javascript|typescript|java|kotlin|swift|rust|go|golang|c|c++|c#|ruby|php|perl|scala|haskell|elixir|erlang|"
    "clojure|lua|r|julia|matlab|sql|bash|shell|powershell|dart|zig|ocaml|f#|fortran|cobol|assembly|html|css|solidity|"
    "groovy|objective-c|visual basic|vba|vb.net|delphi|pascal|prolog|lisp|common lisp|scheme|racket|nim|crystal|elm|"
    "purescript|coffeescript|webassembly|wasm|markdown|yaml|json|xml|toml|verilog|vhdl|apex|abap|sass|scss|t-sql|pl/sql|zsh|awk|sed|mojo|gleam"
)
NATURAL_LANGUAGES = (
    "english|spanish|french|german|italian|portuguese|dutch|swedish|norwegian|danish|finnish|polish|czech|slovak|"
    "hungarian|romanian|bulgarian|greek|turkish|russian|ukrainian|serbian|croatian|bosnian|slovenian|albanian|"
    "macedonian|arabic|hebrew|persian|farsi|urdu|hindi|bengali|bangla|punjabi|marathi|gujarati|tamil|telugu|kannada|"
    "malayalam|sinhala|nepali|odia|assamese|konkani|sindhi|kashmiri|tulu|bhojpuri|sanskrit|pali|mandarin|cantonese|"
    "chinese|hokkien|hakka|shanghainese|taiwanese|japanese|korean|thai|vietnamese|khmer|lao|burmese|tibetan|mongolian|"
    "indonesian|bahasa|bahasa indonesia|malay|tagalog|filipino|cebuano|ilocano|javanese|swahili|kiswahili|yoruba|igbo|"
    "hausa|amharic|tigrinya|oromo|somali|zulu|xhosa|isixhosa|isizulu|sesotho|setswana|shona|kinyarwanda|luganda|wolof|"
    "twi|akan|ewe|malagasy|afrikaans|catalan|basque|galician|valencian|welsh|irish|gaelic|scottish gaelic|scots|"
    "breton|cornish|icelandic|faroese|frisian|luxembourgish|maltese|estonian|latvian|lithuanian|armenian|georgian|"
    "azerbaijani|kazakh|uzbek|kyrgyz|tajik|turkmen|pashto|dari|kurdish|yiddish|ladino|maori|te reo|te reo māori|"
    "samoan|tongan|hawaiian|haitian creole|quechua|guarani|aymara|nahuatl|neapolitan|sicilian|latin|ancient greek|"
    "esperanto|flemish|swiss german|brazilian portuguese|sign language|asl|bsl|auslan|american sign language|"
    "british sign language"
)
FRAMEWORKS = (
    "react|react native|next.js|nextjs|vue|vue.js|nuxt|angular|angularjs|svelte|sveltekit|remix|astro|gatsby|ember|"
    "solidjs|preact|qwik|alpine.js|three.js|d3|d3.js|chart.js|plotly|bokeh|ggplot2|tidyverse|dplyr|shiny|django|"
    "django rest framework|flask|fastapi|starlette|tornado|aiohttp|pyramid|rails|ruby on rails|laravel|symfony|"
    "codeigniter|spring|spring boot|quarkus|micronaut|hibernate|play framework|akka|ktor|express|express.js|nestjs|"
    "koa|fastify|hapi|meteor|strapi|pytorch|pytorch geometric|pytorch lightning|tensorflow|tensorflow.js|keras|jax|"
    "flax|scikit-learn|sklearn|xgboost|lightgbm|catboost|statsmodels|pandas|numpy|scipy|polars|matplotlib|numba|"
    "cython|dask|hugging face transformers|langchain|llamaindex|nltk|spacy|gensim|fastai|onnx|opencv|jquery|"
    "bootstrap|tailwind|tailwind css|material ui|chakra ui|ant design|bulma|flutter|swiftui|uikit|jetpack compose|"
    ".net|.net core|asp.net|blazor|xamarin|entity framework|wpf|winforms|qt|pyqt|gtk|tkinter|kivy|ionic|capacitor|"
    "cordova|expo|tauri|node.js|node|deno|electron|unity|unreal engine|godot|pygame|bevy|phaser|vitest|jest|pytest|"
    "playwright|cypress|selenium|junit|rspec|testng|storybook|echo|fiber|actix|axum|tokio|liveview|htmx|redux|mobx|"
    "zustand|rxjs|ngrx|vuex|pinia|react query|graphql|apollo|trpc|prisma|typeorm|sequelize|mongoose|drizzle|"
    "sqlalchemy|pydantic|celery|spark|apache spark|pyspark|hadoop|flink|apache flink|beam|apache beam|dbt|airflow|"
    "apache airflow|prefect|dagster|kedro|streamlit|gradio|beautifulsoup|beautiful soup|scrapy|net/http|cuda|openmp|"
    "boto3"
)
TOOLS = (
    "docker|docker compose|podman|kubernetes|k8s|minikube|k3s|openshift|rancher|terraform|pulumi|cloudformation|"
    "aws cdk|ansible|packer|helm|argo cd|argocd|jenkins|github actions|gitlab ci|circleci|travis ci|teamcity|"
    "buildkite|git|github|gitlab|bitbucket|gitea|sourcetree|gitkraken|jira|confluence|notion|linear|trello|asana|"
    "clickup|monday.com|basecamp|smartsheet|airtable|miro|mural|figma|figjam|sketch|framer|invision|zeplin|balsamiq|"
    "lucidchart|draw.io|visio|photoshop|illustrator|indesign|lightroom|premiere pro|after effects|adobe xd|canva|"
    "gimp|inkscape|krita|procreate|affinity designer|affinity photo|blender|autocad|revit|sketchup|solidworks|"
    "fusion 360|rhino|archicad|final cut pro|davinci resolve|imovie|audacity|garageband|logic pro|ableton|"
    "ableton live|fl studio|pro tools|musescore|sibelius|obs|obs studio|excel|word|powerpoint|outlook|onenote|"
    "onedrive|sharepoint|microsoft 365|office 365|google sheets|google docs|google slides|google forms|google drive|"
    "google calendar|google keep|gmail|keynote|libreoffice|power query|power bi|power automate|tableau|looker|"
    "metabase|superset|mixpanel|amplitude|google analytics|hotjar|vs code|vscode|visual studio|visual studio code|"
    "intellij|pycharm|webstorm|goland|clion|android studio|xcode|eclipse|netbeans|sublime text|vim|neovim|emacs|"
    "jupyter|jupyter notebook|jupyterlab|colab|google colab|kaggle|rstudio|spss|stata|mathematica|wolfram alpha|"
    "simulink|labview|qgis|arcgis|zotero|mendeley|endnote|tmux|oh my zsh|iterm|iterm2|alacritty|wsl|virtualbox|"
    "vmware|parallels|proxmox|postgres|postgresql|mysql|mariadb|sqlite|sql server|mongodb|mongodb atlas|redis|"
    "memcached|elasticsearch|opensearch|kibana|logstash|dynamodb|cassandra|cockroachdb|clickhouse|duckdb|neo4j|"
    "couchdb|influxdb|timescaledb|pinecone|weaviate|qdrant|milvus|faiss|snowflake|bigquery|redshift|databricks|kafka|"
    "rabbitmq|nginx|traefik|haproxy|istio|linkerd|linux|arch linux|ubuntu|debian|fedora|centos|red hat|nixos|windows|"
    "windows 11|macos|ios|android|chromeos|aws|amazon web services|azure|gcp|google cloud|google cloud run|cloud run|"
    "lambda|aws lambda|s3|ec2|ecs|eks|fargate|sagemaker|bedrock|heroku|vercel|netlify|cloudflare|fastly|digitalocean|"
    "linode|hetzner|fly.io|firebase|supabase|planetscale|appwrite|grafana|prometheus|datadog|pagerduty|opsgenie|"
    "sentry|splunk|new relic|honeycomb|jaeger|opentelemetry|sonarqube|snyk|dependabot|weights & biases|wandb|mlflow|"
    "kubeflow|postman|curl|ffmpeg|homebrew|npm|yarn|pnpm|pip|conda|anaconda|pipenv|pyenv|nvm|cargo|rustup|gradle|"
    "maven|sbt|bazel|cmake|webpack|vite|esbuild|rollup|babel|eslint|prettier|ruff|mypy|pylint|flake8|vagrant|"
    "duolingo|babbel|memrise|busuu|rosetta stone|anki|quizlet|coursera|udemy|edx|khan academy|leetcode|hackerrank|"
    "codewars|moodle|blackboard|google classroom|obsidian|evernote|todoist|ticktick|omnifocus|logseq|roam research|"
    "bear notes|apple notes|goodnotes|notability|grammarly|deepl|google translate|chatgpt|copilot|github copilot|"
    "midjourney|stable diffusion|dall-e|slack|zoom|teams|microsoft teams|google meet|webex|skype|facetime|whatsapp|"
    "telegram|signal|discord|wechat|viber|kakaotalk|imessage|messenger|facebook|twitter|tiktok|youtube|linkedin|"
    "reddit|pinterest|snapchat|mastodon|bluesky|tumblr|twitch|substack|wordpress|squarespace|wix|webflow|shopify|"
    "woocommerce|etsy|ebay|amazon seller central|stripe|square|paypal|venmo|zelle|cash app|apple pay|google pay|"
    "paytm|phonepe|m-pesa|alipay|revolut|monzo|starling|wise|klarna|splitwise|mint|ynab|quicken|turbotax|quickbooks|"
    "xero|freeagent|expensify|zerodha|groww|upstox|robinhood|etrade|e*trade|wealthsimple|questrade|trading 212|"
    "degiro|trade republic|coinbase|binance|salesforce|hubspot|pipedrive|zoho|zendesk|freshdesk|intercom|mailchimp|"
    "sendgrid|twilio|zapier|make.com|ifttt|calendly|docusign|dropbox|icloud|1password|bitwarden|lastpass|keepass|"
    "dashlane|authy|okta|auth0|tailscale|wireguard|openvpn|nordvpn|protonmail|proton mail|fastmail|spotify|"
    "apple music|youtube music|soundcloud|audible|goodreads|netflix|disney+|prime video|hbo max|hulu|plex|jellyfin|"
    "pi-hole|steam|strava|myfitnesspal|zwift|garmin connect|apple health|google fit|headspace|komoot|alltrails|"
    "google maps|waze|citymapper|uber|lyft|airbnb|booking.com|expedia|skyscanner|tripadvisor|deliveroo|doordash|"
    "uber eats|swiggy|zomato|instacart|sap|workday|bamboohr|gusto|rippling|scrivener"
)
DEVICES = (
    "iphone|ipad|ipad pro|ipad air|ipad mini|macbook|macbook pro|macbook air|imac|mac mini|mac studio|apple watch|"
    "airpods|airpods pro|apple tv|homepod|apple pencil|kindle|kindle paperwhite|kobo|thinkpad|chromebook|surface|"
    "surface pro|dell xps|pixel|galaxy|samsung galaxy|oneplus|playstation|ps4|ps5|xbox|xbox series x|nintendo switch|"
    "steam deck|meta quest|oculus|fitbit|garmin forerunner|oura ring|gopro|dji|remarkable 2|canon eos r5|"
    "nikon|fujifilm|leica|instax|sonos|echo dot|google home|chromecast|roku|fire tv|roomba|dyson|thermomix|"
    "instant pot|nespresso|"
    "aeropress|vitamix|kitchenaid|peloton|raspberry pi|arduino"
)
VEHICLES = (
    "tesla|tesla model 3|model 3|model y|toyota prius|prius|toyota corolla|honda civic|nissan leaf|subaru|"
    "subaru outback|volvo|ford f-150|f-150|ford mustang|jeep wrangler|mini cooper|vw golf|volkswagen golf|vespa|"
    "brompton|harley-davidson"
)
MEDICINES = (
    "metformin|insulin|ibuprofen|paracetamol|acetaminophen|aspirin|penicillin|amoxicillin|ventolin|albuterol|"
    "salbutamol|epipen|lisinopril|statins|atorvastatin|simvastatin|rosuvastatin|levothyroxine|thyroxine|sertraline|"
    "citalopram|escitalopram|fluoxetine|venlafaxine|bupropion|wellbutrin|lexapro|zoloft|prozac|jardiance|ozempic|"
    "wegovy|mounjaro|semaglutide|tirzepatide|trulicity|januvia|lantus|humalog|cetirizine|loratadine|zyrtec|claritin|"
    "benadryl|antihistamines|omeprazole|lansoprazole|prednisone|prednisolone|methotrexate|humira|amlodipine|losartan|"
    "ramipril|bisoprolol|metoprolol|propranolol|warfarin|apixaban|eliquis|clopidogrel|gabapentin|pregabalin|"
    "tramadol|codeine|naproxen|diclofenac|co-codamol|adderall|ritalin|methylphenidate|vyvanse|concerta|melatonin|"
    "symbicort|seretide|advair|flovent|montelukast|singulair|doxycycline|azithromycin|ciprofloxacin|tamiflu|"
    "isotretinoin|accutane|minoxidil|finasteride|spironolactone|estradiol|vitamin d|vitamin b12|b12|folic acid|"
    "iron supplements|omega-3|fish oil|magnesium|creatine|probiotics"
)
FINANCIAL_PRODUCTS = (
    "roth ira|ira|401(k)|401k|403(b)|tfsa|rrsp|resp|isa|stocks and shares isa|lifetime isa|lisa|sipp|hsa|fsa|"
    "529 plan|ppf|elss|epf|superannuation|kiwisaver|premium bonds|amex|american express|mastercard|apple card"
)
FOODS = (
    "sushi|sashimi|nigiri|onigiri|ramen|udon|soba|tempura|katsu|tonkatsu|karaage|gyoza|yakitori|okonomiyaki|takoyaki|"
    "donburi|unagi|natto|miso|miso soup|mochi|matcha|pho|banh mi|bun cha|spring rolls|pad thai|tom yum|green curry|"
    "red curry|massaman|khao soi|som tam|mango sticky rice|laksa|rendang|satay|nasi goreng|nasi lemak|roti canai|"
    "char kway teow|chicken rice|adobo|lumpia|sisig|pancit|halo-halo|dim sum|bao|baozi|xiaolongbao|dumplings|wontons|"
    "congee|fried rice|chow mein|hot pot|mapo tofu|kung pao chicken|peking duck|char siu|kimchi|bibimbap|bulgogi|"
    "kimbap|tteokbokki|japchae|korean bbq|bingsu|pizza|pasta|tagliatelle|orecchiette|spaghetti|carbonara|"
    "cacio e pepe|bolognese|lasagne|lasagna|risotto|gnocchi|pesto|focaccia|bruschetta|arancini|polenta|prosciutto|"
    "mozzarella|burrata|parmesan|ricotta|gorgonzola|salami|tiramisu|cannoli|panna cotta|gelato|curry|biryani|dosa|"
    "masala dosa|idli|sambar|rasam|upma|poha|vada|vada pav|pav bhaji|dhokla|khichdi|dal|dal makhani|naan|roti|"
    "chapati|paratha|paneer|palak paneer|butter chicken|chicken tikka|tikka masala|tandoori chicken|korma|vindaloo|"
    "rogan josh|chole|chole bhature|rajma|samosas|pakoras|momos|gulab jamun|jalebi|kheer|lassi|chai|masala chai|"
    "tacos|breakfast tacos|burritos|enchiladas|quesadillas|nachos|guacamole|tamales|pozole|chilaquiles|"
    "huevos rancheros|carnitas|al pastor|birria|fajitas|elote|churros|tex-mex|chili|arepas|pupusas|empanadas|ceviche|"
    "lomo saltado|feijoada|picanha|pão de queijo|brigadeiro|açaí|acai|asado|chimichurri|dulce de leche|alfajores|"
    "jerk chicken|ackee and saltfish|plantains|bbq|barbecue|brisket|pulled pork|ribs|burgers|hamburgers|"
    "cheeseburgers|hot dogs|fried chicken|chicken wings|buffalo wings|mac and cheese|clam chowder|lobster rolls|"
    "cornbread|grits|gumbo|jambalaya|crawfish|cheesesteak|meatloaf|apple pie|pumpkin pie|pecan pie|cheesecake|donuts|"
    "doughnuts|bagels|pastrami|poutine|maple syrup|steak|red meat|meat|chicken|beef|pork|lamb|veal|duck|turkey|"
    "venison|bacon|sausages|ham|chorizo|fish|salmon|tuna|cod|haddock|sardines|anchovies|mackerel|trout|herring|"
    "shellfish|shrimp|prawns|oysters|mussels|clams|scallops|crab|lobster|squid|calamari|octopus|seafood|tofu|tempeh|"
    "seitan|eggs|cheese|feta|halloumi|milk|oat milk|almond milk|soy milk|yogurt|yoghurt|kefir|butter|ghee|cream|"
    "bread|sourdough|baguette|croissants|pain au chocolat|brioche|rice|noodles|falafel|hummus|tahini|tzatziki|"
    "moussaka|souvlaki|gyros|kebab|doner|shawarma|kofta|lahmacun|börek|baklava|dolma|tabbouleh|fattoush|mezze|"
    "shakshuka|tagine|couscous|harira|injera|doro wat|jollof rice|jollof|fufu|egusi|suya|bobotie|biltong|boerewors|"
    "ugali|paella|tapas|gazpacho|patatas bravas|tortilla española|jamón|croquetas|bacalhau|pastéis de nata|"
    "pastel de nata|francesinha|piri piri|peri peri|bratwurst|currywurst|schnitzel|spätzle|sauerkraut|pretzels|"
    "strudel|goulash|pierogi|borscht|pelmeni|blini|stroganoff|meatballs|gravlax|smørrebrød|cinnamon buns|"
    "cinnamon rolls|stroopwafels|frites|moules-frites|waffles|crêpes|crepes|quiche|ratatouille|bouillabaisse|"
    "coq au vin|cassoulet|fondue|raclette|rösti|escargots|macarons|madeleines|éclairs|crème brûlée|salad|soup|"
    "sunday roast|roast dinner|fish and chips|full english|full irish|shepherd's pie|cottage pie|bangers and mash|"
    "toad in the hole|yorkshire pudding|cornish pasty|sausage rolls|scotch eggs|beans on toast|jacket potato|crisps|"
    "marmite|vegemite|irish stew|soda bread|haggis|black pudding|kippers|scones|crumpets|shortbread|victoria sponge|"
    "sticky toffee pudding|trifle|mince pies|christmas pudding|hot cross buns|afternoon tea|clotted cream|custard|"
    "pancakes|porridge|oatmeal|granola|cereal|chocolate|dark chocolate|ice cream|cake|cookies|brownies|sugar|honey|"
    "salt|jam|marmalade|nutella|garlic|onions|shallots|leeks|tomatoes|okra|peppers|bell peppers|potatoes|"
    "sweet potatoes|mushrooms|truffles|avocado|spinach|kale|broccoli|carrots|cauliflower|cabbage|lettuce|cucumber|"
    "zucchini|courgette|eggplant|aubergine|beetroot|asparagus|artichokes|brussels sprouts|peas|green beans|edamame|"
    "sweetcorn|corn|celery|fennel|radishes|parsnips|pumpkin|butternut squash|bok choy|pak choi|watercress|rocket|"
    "arugula|jackfruit|olives|capers|coriander|cilantro|basil|parsley|mint|dill|thyme|rosemary|oregano|ginger|"
    "turmeric|cinnamon|cumin|cardamom|saffron|paprika|chillies|chilli|jalapeños|wasabi|gochujang|fish sauce|"
    "soy sauce|sriracha|harissa|mustard|ketchup|mayonnaise|vinegar|truffle oil|olive oil|peanuts|peanut butter|"
    "tree nuts|nuts|almonds|cashews|walnuts|pecans|pistachios|hazelnuts|macadamias|brazil nuts|pine nuts|chestnuts|"
    "coconut|coconut milk|gluten|wheat|soy|lactose|dairy|sesame|shellfish|lentils|chickpeas|beans|black beans|quinoa|"
    "oats|barley|rye|buckwheat|bulgur|strawberries|raspberries|blueberries|blackberries|cranberries|berries|cherries|"
    "grapes|apples|pears|plums|peaches|apricots|nectarines|bananas|oranges|lemons|limes|grapefruit|mangoes|pineapple|"
    "papaya|guava|lychees|passion fruit|dragon fruit|durian|figs|pomegranate|kiwi|watermelon|melon|rhubarb|coffee|"
    "espresso|americano|flat white|cortado|macchiato|mocha|filter coffee|cold brew|turkish coffee|double ristretto|"
    "ristretto|cappuccino|latte|tea|green tea|black tea|earl grey|chamomile|peppermint tea|bubble tea|boba|"
    "yerba mate|hot chocolate|smoothies|orange juice|soda|cola|lemonade|kombucha|horchata|beer|craft beer|ipa|"
    "pale ale|lager|stout|pilsner|cider|wine|red wine|white wine|rosé|natural wine|prosecco|champagne|cava|rioja|"
    "malbec|pinot noir|merlot|shiraz|chardonnay|riesling|port|sherry|mead|whisky|whiskey|bourbon|scotch|gin|vodka|"
    "rum|tequila|mezcal|sake|soju|ouzo|raki|grappa|limonpisco|cachaça|negroni|margarita|mojito|aperol spritz|"
    "spritz|sangria|martini|old fashioned|guinness|spicy food|street food|junk food|fast food|thai food|indian food|"
    "mexican food|italian food|chinese food|japanese food|korean food|greek food|french food|spanish food|"
    "vietnamese food|mexican|thai|indian|ethiopian|lebanese|sichuan|szechuan|cajun|mediterranean|middle eastern|"
    "levantine|west african|soul food|peruvian food|moroccan food|jamaican food|caribbean food|nigerian food|"
    "malaysian food|turkish food|persian food|korean fried chicken|turkey|roast turkey"
)
DIETS = (
    "vegetarian|vegan|pescatarian|flexitarian|plant-based|keto|ketogenic|paleo|whole30|atkins|low-carb|low carb|"
    "low-fodmap|fodmap|gluten-free|dairy-free|lactose-free|sugar-free|halal|kosher|jain|sattvic|teetotal|"
    "carnivore diet|mediterranean diet|intermittent fasting|lacto-vegetarian|eggetarian|raw vegan"
)
ACTIVITIES = (
    "chess|bouldering|climbing|rock climbing|hiking|hillwalking|trekking|backpacking|mountaineering|running|jogging|"
    "trail running|marathons|ultramarathons|triathlon|triathlons|parkrun|cycling|road cycling|mountain biking|"
    "bikepacking|swimming|open water swimming|wild swimming|diving|scuba diving|freediving|snorkelling|snorkeling|"
    "surfing|windsurfing|kitesurfing|wakeboarding|paddleboarding|stand-up paddleboarding|skiing|cross-country skiing|"
    "snowboarding|skateboarding|rollerblading|roller skating|ice skating|figure skating|curling|yoga|hot yoga|"
    "pilates|barre|crossfit|weightlifting|powerlifting|bodybuilding|calisthenics|zumba|hiit|aerobics|golf|disc golf|"
    "tennis|table tennis|ping pong|badminton|squash|padel|pickleball|racquetball|cricket|football|soccer|"
    "american football|rugby|rugby union|rugby league|hockey|ice hockey|field hockey|lacrosse|basketball|netball|"
    "baseball|softball|volleyball|beach volleyball|handball|water polo|ultimate frisbee|frisbee|boxing|kickboxing|"
    "muay thai|mma|martial arts|karate|judo|taekwondo|kung fu|jiu-jitsu|brazilian jiu-jitsu|bjj|capoeira|aikido|"
    "kendo|wrestling|krav maga|tai chi|qigong|fencing|archery|gymnastics|parkour|rowing|sailing|kayaking|canoeing|"
    "rafting|fishing|fly fishing|angling|horse riding|horseback riding|dressage|polo|darts|snooker|billiards|bowling|"
    "go-karting|karting|formula 1|f1|motorsport|paragliding|skydiving|orienteering|geocaching|caving|poker|"
    "backgammon|mahjong|scrabble|dominoes|dungeons & dragons|dungeons and dragons|d&d|board games|tabletop games|"
    "warhammer|video games|gaming|esports|speedrunning|jigsaw puzzles|crossword|crosswords|sudoku|wordle|"
    "gardening|bonsai|houseplants|beekeeping|foraging|birdwatching|birding|stargazing|astronomy|knitting|crochet|"
    "sewing|quilting|embroidery|cross-stitch|weaving|macramé|origami|calligraphy|baking|cooking|grilling|homebrewing|"
    "home brewing|fermentation|wine tasting|mixology|painting|watercolour|watercolor|oil painting|drawing|sketching|"
    "illustration|printmaking|sculpture|pottery|ceramics|woodworking|woodturning|carpentry|metalworking|"
    "blacksmithing|leatherwork|jewellery making|jewelry making|diy|3d printing|ham radio|model trains|model railways|"
    "cosplay|photography|film photography|videography|filmmaking|animation|creative writing|poetry|journaling|"
    "blogging|podcasting|karaoke|singing|acting|improv|stand-up comedy|dancing|ballet|ballroom dancing|tango|"
    "swing dancing|lindy hop|salsa|bachata|kizomba|flamenco|belly dancing|line dancing|"
    "cello|djing|"
    "music production|meditation|mindfulness|breathwork|camping|wild camping|record collecting|stamp collecting|"
    "genealogy|volunteering"
)
CONDITIONS = (
    "asthma|diabetes|type 1 diabetes|type 2 diabetes|prediabetes|gestational diabetes|migraines|migraine|"
    "cluster headaches|gout|eczema|psoriasis|rosacea|acne|arthritis|osteoarthritis|rheumatoid arthritis|"
    "osteoporosis|celiac disease|coeliac disease|crohn's disease|ulcerative colitis|colitis|ibs|acid reflux|gerd|"
    "diverticulitis|gallstones|kidney stones|adhd|autism|dyslexia|dyspraxia|anxiety|social anxiety|depression|"
    "postpartum depression|burnout|ocd|ptsd|bipolar disorder|insomnia|sleep apnea|sleep apnoea|narcolepsy|"
    "hypertension|high blood pressure|low blood pressure|high cholesterol|heart disease|atrial fibrillation|"
    "hypothyroidism|hyperthyroidism|hashimoto's|anaemia|anemia|iron deficiency|endometriosis|pcos|fibromyalgia|"
    "chronic fatigue syndrome|long covid|covid|lupus|multiple sclerosis|parkinson's|parkinson's disease|"
    "alzheimer's|dementia|epilepsy|tinnitus|vertigo|glaucoma|cataracts|colour blindness|color blindness|copd|"
    "bronchitis|sinusitis|tendonitis|tennis elbow|carpal tunnel syndrome|plantar fasciitis|sciatica|scoliosis|"
    "shin splints|concussion|tmj|lactose intolerance|gluten intolerance|food allergies|sickle cell disease|"
    "cystic fibrosis|hemophilia|haemophilia|cancer|breast cancer|leukaemia|leukemia|lymphoma|melanoma|obesity|"
    "menopause|perimenopause|shingles|tonsillitis|pneumonia"
)
FIELDS = (
    "computer science|software engineering|machine learning|deep learning|data science|data engineering|"
    "artificial intelligence|ai|nlp|natural language processing|computer vision|neural networks|"
    "graph neural networks|large language models|robotics|cybersecurity|cryptography|distributed systems|"
    "human-computer interaction|hci|ux research|ux design|ui design|mathematics|maths|math|applied mathematics|"
    "statistics|probability|physics|astrophysics|quantum computing|chemistry|biochemistry|biology|"
    "molecular biology|microbiology|genetics|neuroscience|cognitive science|bioinformatics|ecology|"
    "environmental science|geology|geography|medicine|nursing|midwifery|pharmacy|pharmacology|dentistry|"
    "physiotherapy|occupational therapy|public health|epidemiology|nutrition|dietetics|veterinary medicine|law|"
    "criminology|economics|econometrics|finance|accounting|actuarial science|business administration|marketing|"
    "psychology|sociology|anthropology|archaeology|political science|international relations|public policy|"
    "philosophy|ethics|theology|history|art history|classics|literature|english literature|linguistics|"
    "journalism|architecture|urban planning|design|graphic design|interior design|fashion design|engineering|"
    "electrical engineering|mechanical engineering|civil engineering|chemical engineering|aerospace engineering|"
    "biomedical engineering|education|early childhood education|special education|music theory|social work"
)
ANIMALS = (
    "dog|dogs|cat|cats|kitten|puppy|rabbit|rabbits|bunny|hamster|guinea pig|guinea pigs|gerbil|rat|chinchilla|parrot|"
    "budgie|cockatiel|canary|tortoise|turtle|snake|lizard|gecko|bearded dragon|axolotl|horse|horses|pony|donkey|goat|"
    "goats|chickens|hens|ducks|goldfish|koi|ferret|hedgehog|beagle|labrador|golden retriever|retriever|poodle|"
    "labradoodle|cockapoo|cavapoo|goldendoodle|dachshund|greyhound|whippet|lurcher|spaniel|cocker spaniel|"
    "springer spaniel|cavalier king charles spaniel|border collie|collie|kelpie|husky|malamute|german shepherd|"
    "rottweiler|doberman|boxer dog|bulldog|french bulldog|frenchie|pug|corgi|terrier|jack russell|staffie|"
    "staffordshire bull terrier|yorkshire terrier|westie|schnauzer|shih tzu|chihuahua|pomeranian|samoyed|shiba inu|"
    "akita|vizsla|weimaraner|dalmatian|great dane|bernese mountain dog|newfoundland|saint bernard|maine coon|siamese|"
    "persian cat|ragdoll|bengal|sphynx|british shorthair|russian blue|norwegian forest cat|tabby|shiba|heeler|"
    "blue heeler|cattle dog|sheepdog|sheepdogs|sheep|ewes|lambs|cows|cattle|pigs|alpacas|llamas|bees"
)
HOLIDAYS = (
    "christmas|christmas eve|christmas day|boxing day|new year|new year's eve|new year's day|hogmanay|easter|"
    "easter sunday|good friday|thanksgiving|halloween|valentine's day|mother's day|father's day|st patrick's day|"
    "st. patrick's day|burns night|bonfire night|pancake day|mardi gras|lent|advent|epiphany|day of the dead|"
    "día de los muertos|independence day|fourth of july|4th of july|memorial day|labor day|labour day|canada day|"
    "australia day|anzac day|bastille day|king's day|diwali|holi|onam|pongal|navratri|durga puja|dussehra|"
    "ganesh chaturthi|raksha bandhan|makar sankranti|lohri|vaisakhi|baisakhi|ugadi|eid|eid al-fitr|eid al-adha|"
    "ramadan|nowruz|hanukkah|passover|rosh hashanah|yom kippur|sukkot|purim|kwanzaa|juneteenth|lunar new year|"
    "chinese new year|mid-autumn festival|dragon boat festival|golden week|obon|chuseok|seollal|songkran|vesak|"
    "midsummer|black friday|pride month"
)
GATHERINGS = (
    "oktoberfest|carnival|carnaval|notting hill carnival|burning man|glastonbury|coachella|lollapalooza|sxsw|"
    "primavera sound|roskilde|tomorrowland|sziget|edinburgh fringe|la tomatina|comic-con|san diego comic-con|"
    "super bowl|world cup|rugby world cup|olympics|winter olympics|paralympics|commonwealth games|wimbledon|"
    "us open|french open|roland garros|australian open|the masters|ryder cup|six nations|the ashes|tour de france|"
    "champions league final|world series|nba finals|stanley cup|grand national|kentucky derby|melbourne cup|"
    "london marathon|new york marathon|nyc marathon|boston marathon|berlin marathon|chicago marathon|"
    "tokyo marathon|great north run|tough mudder"
)
CONFERENCES = (
    "pycon|europython|djangocon|jsconf|rustconf|gophercon|kubecon|devoxx|qcon|fosdem|defcon|def con|black hat|"
    "re:invent|aws re:invent|google i/o|wwdc|microsoft build|dreamforce|web summit|slush|ces|mwc|"
    "mobile world congress|gamescom|neurips|icml|iclr|cvpr|iccv|eccv|emnlp|naacl|aaai|ijcai|kdd|sigir|siggraph|"
    "interspeech|tedx|advent of code|hacktoberfest|davos"
)
SUBTYPES: dict[str, dict[str, str]] = {
    "language": {"programming": PROGRAMMING_LANGUAGES, "natural": NATURAL_LANGUAGES},
    "framework": {"framework": FRAMEWORKS},
    "tool": {"tool": TOOLS},
    "product": {"device": DEVICES, "vehicle": VEHICLES, "medicine": MEDICINES, "financial": FINANCIAL_PRODUCTS},
    "food": {"food": FOODS},
    "concept": {"diet": DIETS, "activity": ACTIVITIES, "condition": CONDITIONS, "field": FIELDS},
    "animal": {"animal": ANIMALS},
    "event": {"holiday": HOLIDAYS, "gathering": GATHERINGS, "conference": CONFERENCES},
    "place": {"place": PLACES},
}
"""Entity type → subtype → entries. An entry listed under two types keeps the first (languages before foods)."""

GAZETTEERS: dict[str, str] = {kind: "|".join(lists.values()) for kind, lists in SUBTYPES.items()}

ONLY_CAPITALISED = frozenset(
    """go rust swift r c dart word teams signal square linear mint wise notion sketch spring express echo fiber node
    unity pixel surface galaxy lisa isa ira hsa fsa thai indian mexican turkey chile china may march august wedding
    reading nice bath split york victoria charlotte georgia salsa crystal elm scheme racket steam lambda obs spark
    beam apollo expo ember shiny starling sap messenger twitch audible headspace babel cargo curl eclipse mural
    framer procreate blender outlook keynote parallels bedrock windows homebrew yarn rollup prettier sentry honeycomb
    postman intercom basecamp gimp audacity tableau looker superset amplitude endnote pinecone redshift vagrant
    blackboard notability slack telegram mastodon bluesky workday gusto rippling packer remix astro gatsby bokeh flask
    tornado pyramid rails hibernate meteor flax ionic capacitor cordova bevy phaser electron jest playwright cypress
    selenium storybook mongoose drizzle celery guinea buffalo providence hull stoke derby us""".split()
)
"""Words that are also ordinary English. Capitalised, they take their proper-noun reading (a tool, a place); in
lowercase, only a reading as a food, concept or animal listed elsewhere ("celery", "turkey", "mint"), if any."""
DATES = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "monday tuesday wednesday thursday friday saturday sunday mondays tuesdays wednesdays thursdays fridays "
    "saturdays sundays weekday weekdays"
)
