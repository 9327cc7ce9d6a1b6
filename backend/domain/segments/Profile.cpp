#include "domain/segments/Profile.h"

namespace flywheel::segments {

std::int32_t Dictionary::intern(std::string_view text)
{
    {
        const std::shared_lock lock(m_mutex);
        if (const auto it = m_ids.find(std::string(text)); it != m_ids.end())
            return it->second;
    }
    const std::unique_lock lock(m_mutex);
    const auto [it, inserted] = m_ids.try_emplace(std::string(text), static_cast<std::int32_t>(m_texts.size()));
    if (inserted)
        m_texts.emplace_back(text);
    return it->second;
}

std::int32_t Dictionary::find(std::string_view text) const
{
    const std::shared_lock lock(m_mutex);
    const auto it = m_ids.find(std::string(text));
    return it == m_ids.end() ? kUnknown : it->second;
}

std::string Dictionary::text(std::int32_t id) const
{
    const std::shared_lock lock(m_mutex);
    if (id < 0 || static_cast<std::size_t>(id) >= m_texts.size())
        return {};
    return m_texts[static_cast<std::size_t>(id)];
}

std::vector<std::string> Dictionary::all() const
{
    const std::shared_lock lock(m_mutex);
    return m_texts;
}

} // namespace flywheel::segments
