#pragma once

#include "domain/Clock.h"
#include "domain/Money.h"

#include <cstdint>
#include <deque>
#include <map>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace flywheel {

struct Product {
    std::string sku;
    std::string name;
    std::string category;
    Money listPrice;
    std::int64_t stock = 0;
};

enum class DeviceType { Ios, Android, Web };

const char *deviceTypeName(DeviceType device);
/// False when the name is not one of "ios", "android", "web".
bool parseDeviceType(const std::string &name, DeviceType &device);

struct User {
    std::int64_t uid = 0;
    TimePoint registeredAt;
    DeviceType device = DeviceType::Android;
    std::string region;
    std::string installChannel;
};

/// The products an order can name, looked up by SKU. Immutable once built, so any
/// number of threads read it without locking.
class Catalog final {
public:
    Catalog() = default;
    explicit Catalog(std::vector<Product> products);

    const Product *find(const std::string &sku) const;
    const std::vector<Product> &products() const { return m_products; }

private:
    std::vector<Product> m_products;
    std::unordered_map<std::string, std::size_t> m_bySku;
};

/// The known users, looked up by uid. Immutable once built.
class UserDirectory final {
public:
    UserDirectory() = default;
    explicit UserDirectory(std::vector<User> users);
    UserDirectory(UserDirectory &&other) noexcept;
    UserDirectory &operator=(UserDirectory &&other) noexcept;

    /// The user, or null. The pointer stays valid as long as the directory.
    const User *find(std::int64_t uid) const;
    /// The users it was built with, sorted by uid (not those added since).
    const std::vector<User> &users() const { return m_users; }
    /// Adds a user registered since (through an invite); false when uid is known.
    /// Thread-safe with find, page and size.
    bool add(const User &user);

    struct Page {
        std::vector<User> users; // sorted by uid
        std::size_t total = 0;   // all users, those added since included
    };
    /// At most `limit` users with a uid greater than `afterUid`, in uid order:
    /// those it was built with and those added since.
    Page page(std::int64_t afterUid, std::size_t limit) const;
    /// All users, those added since included.
    std::size_t size() const;

private:
    std::vector<User> m_users;
    std::unordered_map<std::int64_t, std::size_t> m_byUid;
    mutable std::shared_mutex m_addedMutex;
    std::deque<User> m_added;
    std::map<std::int64_t, const User *> m_addedByUid; // ordered, for page()
};

} // namespace flywheel
