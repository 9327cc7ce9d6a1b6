#include "domain/DemoData.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string_view>

namespace flywheel {

namespace {

struct CategorySpec {
    std::string_view name;
    std::string_view code;
    std::array<std::string_view, 6> nouns;
    std::int64_t minPriceMinor;
    std::int64_t maxPriceMinor;
};

constexpr std::array<CategorySpec, 8> kCategories{{
    {"Electronics", "ELE", {"Earbuds", "Power Bank", "Smart Watch", "Charger", "Speaker", "Keyboard"}, 4900, 129900},
    {"Home & Kitchen", "HOM", {"Rice Cooker", "Kettle", "Pillow", "Storage Box", "Knife Set", "Towel"}, 1900, 59900},
    {"Beauty", "BEA", {"Face Cream", "Lipstick", "Sunscreen", "Shampoo", "Face Mask", "Serum"}, 2900, 39900},
    {"Sports & Outdoors",
     "SPO",
     {"Yoga Mat", "Running Shoes", "Water Bottle", "Dumbbells", "Tent", "Jersey"},
     2900,
     89900},
    {"Grocery", "GRO", {"Green Tea", "Coffee Beans", "Rice", "Nuts Mix", "Olive Oil", "Noodles"}, 990, 19900},
    {"Toys", "TOY", {"Building Blocks", "Puzzle", "Plush Bear", "RC Car", "Board Game", "Kite"}, 1500, 49900},
    {"Fashion", "FAS", {"T-Shirt", "Jeans", "Sneakers", "Backpack", "Scarf", "Jacket"}, 3900, 79900},
    {"Books", "BOO", {"Novel", "Cookbook", "Comic", "Travel Guide", "Notebook", "Atlas"}, 1200, 15900},
}};

constexpr std::array<std::string_view, 8> kAdjectives{"Classic", "Pro",  "Lite", "Premium",
                                                      "Eco",     "Mini", "Max",  "Daily"};
constexpr std::array<std::string_view, 10> kRegions{"Guangdong", "Zhejiang", "Jiangsu", "Shanghai", "Beijing",
                                                    "Sichuan",   "Shandong", "Hubei",   "Fujian",   "Henan"};

/// Orders per hour of the day relative to the average: quiet at night, busy at 20:00.
double dailyShape(int hourOfDay)
{
    constexpr std::array<double, 24> shape{0.35, 0.2, 0.12, 0.1, 0.1,  0.15, 0.35, 0.7, 0.95, 1.1,  1.2, 1.3,
                                           1.35, 1.2, 1.1,  1.1, 1.15, 1.25, 1.4,  1.6, 1.9,  1.95, 1.5, 0.8};
    return shape[static_cast<std::size_t>(hourOfDay)];
}

} // namespace

std::size_t pickCustomer(std::uint64_t random, std::size_t userCount)
{
    const std::size_t loyal = std::max<std::size_t>(1, userCount / 50);
    // The low bits choose loyal or not, the high bits the user.
    const bool fromLoyal = (random & 0xff) < 64;
    const std::uint64_t which = random >> 8;
    return static_cast<std::size_t>(fromLoyal ? which % loyal : which % userCount);
}

DemoDataset makeDemoDataset(TimePoint now, const DemoDataOptions &options)
{
    std::mt19937_64 rng(options.seed);
    DemoDataset data;
    data.generatedAt = now;

    for (const CategorySpec &category : kCategories) {
        std::uniform_int_distribution<std::int64_t> price(category.minPriceMinor / 100, category.maxPriceMinor / 100);
        std::uniform_int_distribution<std::int64_t> stock(20, 2000);
        for (std::size_t i = 0; i < options.productsPerCategory; ++i) {
            Product p;
            p.sku = std::string(category.code) + "-" + std::to_string(1001 + i);
            p.name = std::string(kAdjectives[(i / category.nouns.size()) % kAdjectives.size()]) + " " +
                     std::string(category.nouns[i % category.nouns.size()]);
            p.category = std::string(category.name);
            // Prices end in .90 or .00, as shops price them.
            p.listPrice = Money(price(rng) * 100 + (i % 3 == 0 ? 0 : -10));
            if (p.listPrice.minorUnits() <= 0)
                p.listPrice = Money(990);
            p.stock = stock(rng);
            data.products.push_back(std::move(p));
        }
    }

    std::uniform_real_distribution<double> unit(0.0, 1.0);
    const std::int64_t twoYearsMs = 2LL * 365 * 24 * 3600 * 1000;
    data.users.reserve(options.users);
    for (std::size_t i = 0; i < options.users; ++i) {
        User u;
        u.uid = static_cast<std::int64_t>(100001 + i);
        // Skewed towards recent sign-ups: growth programmes bring in new users.
        const double age = std::pow(unit(rng), 2.0);
        u.registeredAt = now - Milliseconds(static_cast<std::int64_t>(age * static_cast<double>(twoYearsMs)));
        const double d = unit(rng);
        u.device = d < 0.38 ? DeviceType::Ios : (d < 0.9 ? DeviceType::Android : DeviceType::Web);
        u.region = std::string(kRegions[static_cast<std::size_t>(unit(rng) * kRegions.size()) % kRegions.size()]);
        if (u.device == DeviceType::Ios) {
            u.installChannel = "app_store";
        } else if (u.device == DeviceType::Web) {
            u.installChannel = unit(rng) < 0.6 ? "web" : "mini_program";
        } else {
            constexpr std::array<std::string_view, 5> vendors{"huawei", "xiaomi", "oppo", "vivo", "honor"};
            u.installChannel =
                std::string(vendors[static_cast<std::size_t>(unit(rng) * vendors.size()) % vendors.size()]);
        }
        data.users.push_back(std::move(u));
    }

    if (data.users.empty() || data.products.empty())
        return data;

    std::uniform_int_distribution<std::size_t> anyProduct(0, data.products.size() - 1);
    std::uniform_int_distribution<int> lineCount(1, 3);
    std::uniform_int_distribution<int> quantity(1, 2);
    constexpr std::array<std::string_view, 3> channels{"app", "mini_program", "web"};

    const auto hourMs = std::chrono::duration_cast<Milliseconds>(std::chrono::hours(1));
    const auto start = std::chrono::floor<std::chrono::hours>(now - options.historyLength);
    for (auto hour = start; hour < now; hour += std::chrono::hours(1)) {
        const int hourOfDay = static_cast<int>((hour.time_since_epoch() / std::chrono::hours(1)) % 24);
        std::poisson_distribution<int> ordersThisHour(static_cast<double>(options.ordersPerHour) *
                                                      dailyShape(hourOfDay));
        const int n = ordersThisHour(rng);
        std::vector<std::int64_t> offsets(static_cast<std::size_t>(n));
        for (auto &offset : offsets)
            offset = static_cast<std::int64_t>(unit(rng) * static_cast<double>(hourMs.count()));
        std::sort(offsets.begin(), offsets.end());
        for (std::int64_t offset : offsets) {
            const TimePoint at = TimePoint(hour) + Milliseconds(offset);
            if (at >= now)
                break;
            Order order;
            order.uid = data.users[pickCustomer(rng(), data.users.size())].uid;
            order.channel = std::string(channels[static_cast<std::size_t>(unit(rng) * 3) % 3]);
            order.createdAt = at;
            // The history is of paid orders, from before inventory was tracked.
            order.status = OrderStatus::Paid;
            order.paidAt = at;
            const int lines = lineCount(rng);
            for (int l = 0; l < lines; ++l) {
                const Product &p = data.products[anyProduct(rng)];
                const int q = quantity(rng);
                order.lines.push_back(OrderLine{p.sku, q, p.listPrice, p.listPrice});
                order.total = Money(order.total.minorUnits() + p.listPrice.minorUnits() * q);
            }
            order.listTotal = order.total;
            data.history.push_back(std::move(order));
        }
    }
    return data;
}

} // namespace flywheel
